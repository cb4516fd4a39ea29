import { STATUS_CODES } from 'node:http';
import { LanyardError, type LanyardErrorOptions } from './lanyard-error.js';

/** One failed field in a request body or query, as reported in a problem document. */
export interface InvalidParam {
  /** JSON pointer-ish path of the field, e.g. `/redirectUris/0`. */
  readonly name: string;
  readonly reason: string;
}

/**
 * An error answered as `application/problem+json` (RFC 9457). `type` is a URI naming the problem;
 * we use `urn:lanyard:problem:<code>` so the identifiers are stable without a hosted docs site.
 */
export class ProblemError extends LanyardError {
  readonly title: string;
  readonly invalidParams: readonly InvalidParam[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    status: number,
    title: string,
    message: string,
    options: LanyardErrorOptions & { invalidParams?: readonly InvalidParam[]; headers?: Record<string, string> } = {},
  ) {
    super(code, status, message, options);
    this.title = title;
    this.invalidParams = options.invalidParams;
    this.headers = options.headers ?? {};
  }

  get type(): string {
    return `urn:lanyard:problem:${this.code}`;
  }
}

export class ValidationProblem extends ProblemError {
  constructor(message: string, invalidParams: readonly InvalidParam[], options: LanyardErrorOptions = {}) {
    super('validation_failed', 400, 'Request validation failed', message, { ...options, invalidParams });
  }
}

export class NotFoundProblem extends ProblemError {
  constructor(message: string, options: LanyardErrorOptions = {}) {
    super('not_found', 404, 'Not found', message, options);
  }
}

export class ConflictProblem extends ProblemError {
  constructor(message: string, options: LanyardErrorOptions = {}) {
    super('conflict', 409, 'Conflict', message, options);
  }
}

/** 401 with a `WWW-Authenticate` challenge (RFC 6750 §3) for the bearer-protected admin API. */
export class UnauthorizedProblem extends ProblemError {
  constructor(message: string, challenge: string, options: LanyardErrorOptions = {}) {
    super('unauthorized', 401, 'Unauthorized', message, { ...options, headers: { 'www-authenticate': challenge } });
  }
}

export class ForbiddenProblem extends ProblemError {
  constructor(message: string, challenge: string | undefined, options: LanyardErrorOptions = {}) {
    super('forbidden', 403, 'Forbidden', message, {
      ...options,
      headers: challenge === undefined ? {} : { 'www-authenticate': challenge },
    });
  }
}

export class TooManyRequestsProblem extends ProblemError {
  constructor(retryAfterSeconds: number, options: LanyardErrorOptions = {}) {
    super('rate_limited', 429, 'Too many requests', 'Rate limit exceeded; retry later.', {
      ...options,
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
}

export class ServiceUnavailableProblem extends ProblemError {
  constructor(message: string, options: LanyardErrorOptions = {}) {
    super('service_unavailable', 503, 'Service unavailable', message, options);
  }
}

/** 405 with the `Allow` header listing the methods the resource does support (RFC 9110 §15.5.6). */
export class MethodNotAllowedProblem extends ProblemError {
  constructor(method: string, allowed: readonly string[], options: LanyardErrorOptions = {}) {
    super('method_not_allowed', 405, 'Method not allowed', `${method} is not allowed here; use ${allowed.join(', ')}.`, {
      ...options,
      headers: { allow: allowed.join(', ') },
    });
  }
}

/**
 * A client error raised by the HTTP layer itself (unsupported media type, malformed JSON, a body
 * too large): titled after its status (RFC 9110 §15) and typed by a stable code derived from it,
 * never by the framework's internal error name.
 */
export class HttpProblem extends ProblemError {
  constructor(status: number, message: string, options: LanyardErrorOptions = {}) {
    const title = STATUS_CODES[status] ?? 'Bad Request';
    super(title.toLowerCase().replace(/[^a-z0-9]+/g, '_'), status, title, message, options);
  }
}
