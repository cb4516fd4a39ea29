/** Options shared by every error the platform raises on purpose. */
export interface LanyardErrorOptions {
  /** Logged with the error, never sent to the caller (node-oidc-provider's `error_detail`). */
  readonly detail?: string;
  readonly cause?: unknown;
}

/**
 * Base of every deliberate error. `code` is stable and machine-readable, `status` is the HTTP status
 * the single error handler of a service answers with, and `expose` says whether `message` may be
 * shown to the caller (4xx, and 503, whose messages only ever say "retry later"; any other 5xx
 * gets a generic message).
 */
export class LanyardError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: string | undefined;

  constructor(code: string, status: number, message: string, options: LanyardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.expose = status < 500 || status === 503;
    this.detail = options.detail;
  }
}

/**
 * True when `error` is an instance of {@link LanyardError} or one of its subclasses. A plain
 * `instanceof` check: an error class from a second copy of this module (a duplicated dependency) is
 * not recognised.
 */
export function isLanyardError(error: unknown): error is LanyardError {
  return error instanceof LanyardError;
}
