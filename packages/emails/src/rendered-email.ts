/**
 * One message ready for `SendEmailJob` (`@lanyard/contracts`): a single-line subject and the same
 * content as plain text and as HTML (sent together as `multipart/alternative`, RFC 2046 §5.1.4).
 */
export interface RenderedEmail {
  /** Never contains CR, LF or any other control character (it becomes a header field). */
  readonly subject: string;
  /** Plain text, lines wrapped at 72 columns without ever breaking a link. */
  readonly text: string;
  /** A complete HTML document with inline styles only and no external resources. */
  readonly html: string;
}
