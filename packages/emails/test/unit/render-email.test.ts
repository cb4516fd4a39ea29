import { describe, expect, it } from 'vitest';
import { EMAIL_TEMPLATES } from '@lanyard/contracts';
import { EmailParamError, renderEmail, type EmailMessage } from '../../src/index.js';

const LINK = 'https://id.example/tenants/acme/verify?token=Tk_0123456789abcdef&next=%2Fhome';
const RESET = 'https://id.example/tenants/acme/password/forgot';
const WHEN = '2025-03-03T14:05:09.123Z';
const tenantDisplayName = 'Acme';

/** One valid message per template, keyed by template. */
const samples: { readonly [T in EmailMessage['template']]: Extract<EmailMessage, { template: T }> } = {
  email_verification: { template: 'email_verification', tenantDisplayName, link: LINK, expiresInMinutes: 60 },
  password_reset: { template: 'password_reset', tenantDisplayName, link: LINK, expiresInMinutes: 30 },
  password_changed: { template: 'password_changed', tenantDisplayName, when: WHEN, resetLink: RESET },
  email_changed: { template: 'email_changed', tenantDisplayName, newEmailHint: 'a***@example.com', when: WHEN },
  invitation: { template: 'invitation', tenantDisplayName, link: LINK, expiresInDays: 7, invitedBy: 'Grace Hopper' },
  new_device_sign_in: { template: 'new_device_sign_in', tenantDisplayName, when: WHEN, browser: 'Firefox on Linux', network: '198.51.100.0/24', resetLink: RESET },
  lockout_notice: { template: 'lockout_notice', tenantDisplayName, when: WHEN, scope: 'network', network: '198.51.100.0/24', resetLink: RESET },
  account_exists: { template: 'account_exists', tenantDisplayName, signInLink: 'https://id.example/tenants/acme/sign-in', resetLink: RESET },
  generic: { template: 'generic', tenantDisplayName, subject: 'Scheduled maintenance', text: 'Hello,\n\nWe will be down on Sunday.\nSorry for the trouble.' },
};
const all = Object.values(samples) as EmailMessage[];

/** Links a message must carry, in both parts. */
const linksOf = (m: EmailMessage): string[] =>
  [
    'link' in m ? m.link : undefined,
    'resetLink' in m ? m.resetLink : undefined,
    'signInLink' in m ? m.signInLink : undefined,
  ].filter((l): l is string => l !== undefined);

/** The HTML part with markup removed and the entities this package writes decoded: what a reader sees. */
const visible = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

const renderError = (render: () => unknown): EmailParamError => {
  try {
    render();
  } catch (error) {
    if (error instanceof EmailParamError) return error;
    throw error;
  }
  throw new Error('expected an EmailParamError');
};

describe('renderEmail: every template', () => {
  it('covers exactly the templates of the email/send job contract', () => {
    expect(Object.keys(samples).sort()).toEqual([...EMAIL_TEMPLATES].sort());
  });

  it.each(all.map((m) => [m.template, m] as const))('%s renders a one-line subject, a text part and an HTML document', (_template, message) => {
    const email = renderEmail(message);
    expect(email.subject.length).toBeGreaterThan(0);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text.length).toBeGreaterThan(0);
    expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en"/);
    expect(email.html).toContain(`<title>${email.subject.replace(/'/g, '&#39;')}</title>`);
    // Branding: the tenant's name in both parts.
    expect(email.text).toContain('Acme');
    expect(visible(email.html)).toContain('Acme');
  });

  it.each(all.map((m) => [m.template, m] as const))('%s puts every link in both parts, clickable in HTML', (_template, message) => {
    const email = renderEmail(message);
    for (const link of linksOf(message)) {
      expect(email.text.split('\n')).toContain(link);
      expect(email.html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);
    }
  });

  it.each(all.map((m) => [m.template, m] as const))('%s uses inline styles only and loads nothing from outside', (_template, message) => {
    const { html } = renderEmail(message);
    expect(html).not.toMatch(/<style|<link|<script|<img|<iframe|<object|<form|url\(|@import/i);
    expect(html).not.toMatch(/\ssrc=/i);
    // The only absolute URLs are the message's own links.
    const urls = [...html.matchAll(/https?:\/\/[^\s"<]+/g)].map((m) => m[0].replace(/&amp;/g, '&'));
    expect(new Set(urls)).toEqual(new Set(linksOf(message)));
  });

  it.each(all.map((m) => [m.template, m] as const))('%s has a text part that reads as text: no markup, lines of at most 72 columns but for links', (_template, message) => {
    const { text } = renderEmail(message);
    expect(text).not.toMatch(/<[a-z/]/i);
    expect(text).not.toMatch(/&(amp|lt|gt|quot|#\d+);/);
    for (const line of text.split('\n')) {
      if (!/^https?:\/\//.test(line)) expect(line.length, line).toBeLessThanOrEqual(72);
    }
    expect(text).toContain('\n-- \nThis is an automated message from Acme.');
  });
});

describe('renderEmail: what each message says', () => {
  it('email_verification asks to confirm the address and says when the link expires', () => {
    const email = renderEmail(samples.email_verification);
    expect(email.subject).toBe('Confirm your e-mail address for Acme');
    expect(email.text).toContain('Confirm your e-mail address\n===========================');
    expect(email.text).toContain('The link expires in 1 hour.');
  });

  it('password_reset says it can be ignored', () => {
    const email = renderEmail(samples.password_reset);
    expect(email.subject).toBe('Reset your Acme password');
    expect(email.text).toContain('30 minutes');
    expect(email.text).toMatch(/If you did not ask for this, you can ignore this\s+message/);
  });

  it('password_changed says when, and what to do if it was not you', () => {
    const email = renderEmail(samples.password_changed);
    expect(email.text).toContain('When:  3 March 2025, 14:05 UTC');
    expect(email.text).toMatch(/If this wasn't you, reset your password/);
    expect(email.html).toContain('<th scope="row"');
  });

  it('email_changed names the masked new address and carries no link', () => {
    const email = renderEmail(samples.email_changed);
    expect(email.text).toContain('a***@example.com');
    expect(email.html).not.toContain('href=');
  });

  it('invitation names the inviter in the body, never in the subject', () => {
    const email = renderEmail(samples.invitation);
    expect(email.subject).toBe("You're invited to join Acme");
    expect(email.text).toContain('Grace Hopper invited you');
    expect(email.text).toContain('expires in 7 days');
    const { invitedBy: _omitted, ...anonymous } = samples.invitation;
    expect(renderEmail(anonymous).text).toContain('You have been invited');
  });

  it('new_device_sign_in lists when, browser and network', () => {
    const { text } = renderEmail(samples.new_device_sign_in);
    expect(text).toContain('When:     3 March 2025, 14:05 UTC');
    expect(text).toContain('Browser:  Firefox on Linux');
    expect(text).toContain('Network:  198.51.100.0/24');
  });

  it('lockout_notice explains the pause for a network or for password sign-in, and that a reset ends it', () => {
    const network = renderEmail(samples.lockout_notice).text.replace(/\s+/g, ' ');
    expect(network).toContain('from the network 198.51.100.0/24, so signing in from that network is paused for a while');
    expect(network).toContain('resetting your password ends it at once');
    const account = renderEmail({ ...samples.lockout_notice, scope: 'account', network: undefined }).text.replace(/\s+/g, ' ');
    expect(account).toContain('signing in with a password is paused for a while');
    expect(account).not.toContain('Network:');
  });

  it('account_exists offers sign-in and reset, and says nothing changed', () => {
    const { text } = renderEmail(samples.account_exists);
    expect(text).toContain('Sign in:\nhttps://id.example/tenants/acme/sign-in');
    expect(text).toContain(`Reset your password:\n${RESET}`);
    expect(text.replace(/\s+/g, ' ')).toContain('no new one was created');
  });

  it('generic keeps paragraphs and line breaks as text', () => {
    const email = renderEmail(samples.generic);
    expect(email.subject).toBe('Scheduled maintenance');
    expect(email.text).toContain('Hello,\n\nWe will be down on Sunday.\nSorry for the trouble.');
    expect(email.html).toContain('We will be down on Sunday.<br>\nSorry for the trouble.');
    expect(email.html).not.toContain('<h1');
  });
});

describe('renderEmail: hostile values', () => {
  const SCRIPT = '<script>alert(1)</script>';
  const QUOTES = `"' onmouseover="alert(1)" \``;

  it.each([
    ['tenantDisplayName', (v: string) => ({ ...samples.password_reset, tenantDisplayName: v })],
    ['browser', (v: string) => ({ ...samples.new_device_sign_in, browser: v })],
    ['network', (v: string) => ({ ...samples.lockout_notice, network: v })],
    ['invitedBy', (v: string) => ({ ...samples.invitation, invitedBy: v })],
    ['newEmailHint', (v: string) => ({ ...samples.email_changed, newEmailHint: v })],
    ['generic subject', (v: string) => ({ ...samples.generic, subject: v })],
    ['generic text', (v: string) => ({ ...samples.generic, text: v })],
  ] as const)('%s: markup and quotes are escaped in HTML and shown as written', (_param, build) => {
    const email = renderEmail(build(`${SCRIPT} ${QUOTES}`) as EmailMessage);
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toContain('onmouseover="');
    expect(email.html).not.toContain(`"' onmouseover`);
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('&quot;&#39; onmouseover=&quot;alert(1)&quot; &#96;');
    expect(visible(email.html)).toContain(`${SCRIPT} ${QUOTES}`.slice(0, 30));
  });

  it('CR, LF, NUL and other controls never reach the subject, and become spaces in one-line values', () => {
    const email = renderEmail({ ...samples.password_reset, tenantDisplayName: 'Acme\r\nBcc: victim@elsewhere.example\u0000\u001b[31m' });
    expect(email.subject).toBe('Reset your Acme Bcc: victim@elsewhere.example [31m password');
    expect(email.subject).not.toMatch(/[\p{Cc}]/u);
    for (const control of ['\u0000', '\u001b', '\r']) {
      expect(email.text).not.toContain(control);
      expect(email.html).not.toContain(control);
    }
    const generic = renderEmail({ ...samples.generic, subject: 'Hi\r\nBcc: x@y.example', text: 'line one\r\nline\u0000two\u2028three' });
    expect(generic.subject).toBe('Hi Bcc: x@y.example');
    expect(generic.text).toContain('line one\nline two three');
    expect(generic.text).not.toContain('\u0000');
  });

  it('drops bidi overrides, which could show a name reversed', () => {
    const { text } = renderEmail({ ...samples.invitation, invitedBy: 'Eve \u202Egnp.exe\u202C' });
    expect(text).toContain('Eve gnp.exe invited you');
  });

  it('cuts a 64 KiB free-text value to a bounded length instead of refusing the notice', () => {
    const huge = 'A'.repeat(64 * 1024);
    const email = renderEmail({ ...samples.new_device_sign_in, browser: huge, tenantDisplayName: huge });
    expect(email.subject.length).toBeLessThanOrEqual(150);
    expect(email.subject).toContain('…');
    expect(email.html.length).toBeLessThan(16 * 1024);
    expect(email.text).toContain(`Browser:  ${'A'.repeat(99)}…`);
  });

  it('refuses a 64 KiB generic body rather than cutting what the producer wrote', () => {
    const error = renderError(() => renderEmail({ ...samples.generic, text: 'x'.repeat(64 * 1024) }));
    expect(error.code).toBe('invalid_email_param');
    expect(error.param).toBe('text');
    expect(error.status).toBe(500);
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['relative', '/tenants/acme/verify?token=x'],
    ['LF inside (the URL parser would drop it silently)', 'https://id.example/verify?token=a\nb'],
    ['NUL', 'https://id.example/verify?token=a\u0000b'],
    ['a space', 'https://id.example/verify?token=a b'],
    ['credentials', 'https://user:pass@id.example/verify'],
    ['64 KiB', `https://id.example/verify?token=${'a'.repeat(64 * 1024)}`],
  ])('refuses a %s link, naming the parameter but not the value', (_case, link) => {
    const error = renderError(() => renderEmail({ ...samples.email_verification, link }));
    expect(error.param).toBe('link');
    expect(error.message).toMatch(/^cannot render email_verification e-mail: link /);
    expect(error.message).not.toContain('token');
  });

  it('escapes a link that carries quotes and ampersands, so it cannot leave its attribute', () => {
    const email = renderEmail({ ...samples.password_reset, link: `https://id.example/r?a=1&b="x"&c='y'&d=<z>` });
    expect(email.html).toContain('href="https://id.example/r?a=1&amp;b=%22x%22&amp;c=%27y%27&amp;d=%3Cz%3E"');
  });

  it.each([
    ['a non-ISO timestamp', { ...samples.password_changed, when: 'March 3, 2025' }, 'when'],
    ['an impossible date', { ...samples.password_changed, when: '2025-02-30T25:00:00Z' }, 'when'],
    ['a duration in seconds by mistake', { ...samples.password_reset, expiresInMinutes: 3_600 * 24 * 30 }, 'expiresInMinutes'],
    ['a fractional duration', { ...samples.password_reset, expiresInMinutes: 1.5 }, 'expiresInMinutes'],
    ['zero days', { ...samples.invitation, expiresInDays: 0 }, 'expiresInDays'],
    ['an unknown lockout scope', { ...samples.lockout_notice, scope: 'everything' as 'account' }, 'scope'],
    ['an empty tenant name', { ...samples.password_reset, tenantDisplayName: ' \r\n\u0000 ' }, 'tenantDisplayName'],
    ['a tenant name that is not a string', { ...samples.password_reset, tenantDisplayName: 42 as unknown as string }, 'tenantDisplayName'],
    ['an unknown template', { ...samples.generic, template: 'newsletter' } as unknown as EmailMessage, 'template'],
  ])('refuses %s', (_case, message, param) => {
    expect(renderError(() => renderEmail(message as EmailMessage)).param).toBe(param);
  });

  it('is pure: the same message renders the same bytes', () => {
    for (const message of all) expect(renderEmail(message)).toEqual(renderEmail(message));
  });
});
