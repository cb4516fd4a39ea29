export { epochMs, epochSeconds, systemClock, type Clock } from './clock.js';
