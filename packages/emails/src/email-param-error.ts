import { LanyardError } from '@lanyard/errors';

/**
 * A template parameter that cannot be rendered safely: a link that is not an absolute http(s) URL,
 * a timestamp that is not ISO 8601, a number out of range, a body over the size limit. It is the
 * caller's bug, never the user's, so it is a 500; the message names the template and parameter,
 * never the value (which may be a one-time link).
 */
export class EmailParamError extends LanyardError {
  /** The offending parameter, e.g. `link`. */
  readonly param: string;

  constructor(template: string, param: string, reason: string) {
    super('invalid_email_param', 500, `cannot render ${template} e-mail: ${param} ${reason}`);
    this.param = param;
  }
}
