import type { EmailContent } from './email-content.js';
import { htmlLayout } from './html-layout.js';
import { BREAKING } from './one-line.js';
import type { RenderedEmail } from './rendered-email.js';
import { textLayout } from './text-layout.js';

/** Lays content out as text and HTML, with one last guarantee that the subject is a single header line. */
export function renderContent(content: EmailContent): RenderedEmail {
  // Templates build subjects from `oneLine` values only; this keeps a future template honest too.
  const subject = content.subject.replace(BREAKING, ' ');
  return { subject, text: textLayout({ ...content, subject }), html: htmlLayout({ ...content, subject }) };
}
