/** Where "now" comes from, so tests can move time forward without waiting for it. */
export type Clock = () => Date;

/** The wall clock. */
export const systemClock: Clock = () => new Date();
