export * from './tenants.js';
export * from './clients.js';
export * from './users.js';
export * from './signing-keys.js';
export * from './sessions.js';
export * from './grants.js';
export * from './audit-events.js';
export * from './factors.js';
