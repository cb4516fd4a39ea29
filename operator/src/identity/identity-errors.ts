import { LanyardError, type LanyardErrorOptions } from '@lanyard/errors';

/**
 * The identity service could not be reached or answered 5xx/429: a transient failure. The reconcile
 * stops before touching any Secret, reports Ready=False with this reason and retries with backoff.
 */
export class IdentityServiceUnavailable extends LanyardError {
  constructor(message: string, options: LanyardErrorOptions = {}) {
    super('identity_service_unavailable', 503, message, options);
  }
}

/** An RFC 9457 problem document as the admin API returns it. */
export interface ProblemDocument {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  readonly invalidParams?: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/**
 * The admin API refused a request (4xx, `application/problem+json`). Retrying the same request will
 * fail the same way until the spec or the identity service changes.
 */
export class AdminApiError extends LanyardError {
  readonly problem: ProblemDocument;

  constructor(status: number, method: string, path: string, problem: ProblemDocument) {
    const params = problem.invalidParams?.map((p) => `${p.name}: ${p.reason}`).join('; ');
    super(
      problem.type?.replace(/^urn:lanyard:problem:/, '') ?? 'admin_api_error',
      status,
      `${method} ${path} → ${status}: ${problem.detail ?? problem.title ?? 'request refused'}${params ? ` (${params})` : ''}`,
    );
    this.problem = problem;
  }
}
