import type { EmailTemplate } from '@lanyard/contracts';
import type { EmailParams } from './email-params.js';

/**
 * One message to render: `template`, which discriminates the union, and that template's parameters
 * beside it, e.g. `{ template: 'password_reset', tenantDisplayName, link, expiresInMinutes }`.
 * `template` is the same label the `email/send` job carries (`EmailTemplate` in `@lanyard/contracts`).
 */
export type EmailMessage = { [T in keyof EmailParams]: { readonly template: T } & EmailParams[T] }[keyof EmailParams];

// Fails to compile when the job contract and the renderer disagree about which templates exist.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const templatesMatchContract: Same<EmailMessage['template'], EmailTemplate> = true;
void templatesMatchContract;
