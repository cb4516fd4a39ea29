import { describe, expect, it } from 'vitest';
import { EMAIL_TEMPLATES } from '@lanyard/contracts';
import { EmailParamError, renderEmail, type EmailMessage } from '../../src/index.js';

const LINK = 'https://id.example/tenants/acme/verify?token=Tk_0123456789abcdef&next=%2Fhome';
const RESET = 'https://id.example/tenants/acme/password/forgot';
const ACCOUNT = 'https://id.example/tenants/acme/account';
const WHEN = '2025-03-03T14:05:09.123Z';
const tenantDisplayName = 'Acme';

/** One valid message per template, keyed by template. */
const samples: { readonly [T in EmailMessage['template']]: Extract<EmailMessage, { template: T }> } = {
  email_verification: { template: 'email_verification', tenantDisplayName, link: LINK, expiresInMinutes: 60 },
  password_reset: { template: 'password_reset', tenantDisplayName, link: LINK, expiresInMinutes: 30 },
  password_changed: { template: 'password_changed', tenantDisplayName, when: WHEN, resetLink: RESET },
  password_set: { template: 'password_set', tenantDisplayName, when: WHEN, resetLink: RESET },
  email_changed: { template: 'email_changed', tenantDisplayName, newEmailHint: 'a***@example.com', when: WHEN },
  invitation: { template: 'invitation', tenantDisplayName, link: LINK, expiresInDays: 7, invitedBy: 'Grace Hopper' },
  new_device_sign_in: { template: 'new_device_sign_in', tenantDisplayName, when: WHEN, browser: 'Firefox on Linux', network: '198.51.100.0/24', resetLink: RESET },
  lockout_notice: { template: 'lockout_notice', tenantDisplayName, when: WHEN, scope: 'network', network: '198.51.100.0/24', resetLink: RESET },
  account_exists: { template: 'account_exists', tenantDisplayName, signInLink: 'https://id.example/tenants/acme/sign-in', resetLink: RESET },
  recovery_code_used: { template: 'recovery_code_used', tenantDisplayName, when: WHEN, remaining: 7, network: '198.51.100.0/24', accountLink: ACCOUNT },
  second_factor_added: { template: 'second_factor_added', tenantDisplayName, when: WHEN, factor: 'passkey', name: 'Work laptop', accountLink: ACCOUNT },
  second_factors_reset: { template: 'second_factors_reset', tenantDisplayName, when: WHEN, accountLink: ACCOUNT },
  generic: { template: 'generic', tenantDisplayName, subject: 'Scheduled maintenance', text: 'Hello,\n\nWe will be down on Sunday.\nSorry for the trouble.' },
};
const all = Object.values(samples) as EmailMessage[];

/** Links a message must carry, in both parts. */
const linksOf = (m: EmailMessage): string[] =>
  [
    'link' in m ? m.link : undefined,
    'resetLink' in m ? m.resetLink : undefined,
    'signInLink' in m ? m.signInLink : undefined,
    'accountLink' in m ? m.accountLink : undefined,
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

  it('password_set says a password was added, not changed, and what to do if it was not you', () => {
    const email = renderEmail(samples.password_set);
    expect(email.subject).toBe('A password was added to your Acme account');
    expect(email.text).toContain('When:  3 March 2025, 14:05 UTC');
    expect(email.text).toMatch(/had no password\. It has one now/);
    expect(email.text).not.toMatch(/was changed/);
    expect(email.text).toMatch(/If this wasn't you, someone had access to your account/);
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

  it('recovery_code_used says a code was used, from where, how many are left, and what to do if it was not you', () => {
    const email = renderEmail(samples.recovery_code_used);
    expect(email.subject).toBe('A recovery code was used to sign in to your Acme account');
    expect(email.text).toContain('A recovery code was used\n========================');
    expect(email.text).toContain('When:        3 March 2025, 14:05 UTC\nNetwork:     198.51.100.0/24\nCodes left:  7');
    const text = email.text.replace(/\s+/g, ' ');
    expect(text).toContain('One of the recovery codes of your Acme account was just used to sign in.');
    expect(text).toContain('If this was you, there is nothing else to do.');
    expect(text).toContain("If this wasn't you, someone else knows your password and has one of your recovery codes: change your password and generate new recovery codes now");
    expect(email.text).toContain(`Go to your account:\n${ACCOUNT}`);
    expect(visible(email.html)).toContain('Codes left 7');
  });

  it.each([
    [0, 'That was your last recovery code. If this was you, generate a new set on your account page now'],
    [1, 'Only 1 unused recovery code is left. If this was you, generate a new set on your account page before you run out.'],
    [3, 'Only 3 unused recovery codes are left.'],
  ])('recovery_code_used with %i left urges a new set', (remaining, says) => {
    const text = renderEmail({ ...samples.recovery_code_used, remaining }).text.replace(/\s+/g, ' ');
    expect(text).toContain(says);
    expect(text).toContain(`Codes left: ${remaining}`);
    expect(text).not.toContain('there is nothing else to do');
  });

  it('recovery_code_used leaves the network out when it is not known', () => {
    const { network: _omitted, ...anywhere } = samples.recovery_code_used;
    const { text } = renderEmail({ ...anywhere, remaining: 4 });
    expect(text).toContain('When:        3 March 2025, 14:05 UTC\nCodes left:  4');
    expect(text).not.toContain('Network:');
  });

  it('second_factor_added names the kind in the subject and the passkey in the body only', () => {
    const email = renderEmail(samples.second_factor_added);
    expect(email.subject).toBe('A passkey was added to your Acme account');
    expect(email.text).toContain('A passkey was added\n===================');
    const text = email.text.replace(/\s+/g, ' ');
    expect(text).toContain('A passkey named “Work laptop” was added to your Acme account as a second factor.');
    expect(text).toContain("If this wasn't you, someone else has access to your account: remove the passkey on your account page and change your password now.");
    expect(email.text).toContain('When:  3 March 2025, 14:05 UTC');
    expect(email.text).toContain(`Go to your account:\n${ACCOUNT}`);
    expect(email.subject).not.toContain('Work laptop');
  });

  it('second_factor_added tells an authenticator app apart, and leaves out a missing or blank name', () => {
    const { name: _omitted, ...unnamed } = samples.second_factor_added;
    const totp = renderEmail({ ...unnamed, factor: 'totp' });
    expect(totp.subject).toBe('An authenticator app was added to your Acme account');
    expect(totp.text.replace(/\s+/g, ' ')).toContain('An authenticator app was added to your Acme account as a second factor.');
    expect(totp.text.replace(/\s+/g, ' ')).toContain('remove the authenticator app on your account page');
    expect(renderEmail(unnamed).text.replace(/\s+/g, ' ')).toContain('A passkey was added to your Acme account');
    // A name made of nothing but blanks and controls must not suppress the notice.
    const blank = renderEmail({ ...samples.second_factor_added, name: ' \r\n\u0000\u202E ' });
    expect(blank.text.replace(/\s+/g, ' ')).toContain('A passkey was added to your Acme account');
    expect(blank.text).not.toContain('named');
  });

  it('second_factors_reset says an administrator removed every factor, how to sign in now, and whom to ask', () => {
    const email = renderEmail(samples.second_factors_reset);
    expect(email.subject).toBe('The second factors of your Acme account were removed');
    expect(email.text).toContain('Your second factors were removed\n================================');
    expect(email.text).toContain('When:  3 March 2025, 14:05 UTC');
    const text = email.text.replace(/\s+/g, ' ');
    expect(text).toContain('An administrator of Acme removed all second factors from your account: your authenticator app, your passkeys and your recovery codes no longer work for it.');
    expect(text).toContain('You now sign in with your password. You can set up new second factors on your account page; if Acme requires one, you may be asked to when you next sign in.');
    expect(text).toContain("If you didn't expect this, contact the administrators of Acme right away.");
    expect(email.text).toContain(`Go to your account:\n${ACCOUNT}`);
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
    ['recovery_code_used network', (v: string) => ({ ...samples.recovery_code_used, network: v })],
    ['second factor name', (v: string) => ({ ...samples.second_factor_added, name: v })],
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

  it('CR, LF, NUL and other controls in a second factor name become spaces, and never reach the subject', () => {
    const email = renderEmail({ ...samples.second_factor_added, name: 'Key\r\nBcc: victim@elsewhere.example\u0000\u001b[31m\u2028x' });
    expect(email.subject).toBe('A passkey was added to your Acme account');
    expect(email.text.replace(/\s+/g, ' ')).toContain('A passkey named “Key Bcc: victim@elsewhere.example [31m x” was added');
    for (const control of ['\u0000', '\u001b', '\r', '\u2028']) {
      expect(email.text).not.toContain(control);
      expect(email.html).not.toContain(control);
    }
    const recovery = renderEmail({ ...samples.recovery_code_used, network: '198.51.100.0/24\r\n\u0000Bcc: x@y.example' });
    expect(recovery.text).toContain('Network:     198.51.100.0/24 Bcc: x@y.example\n');
    expect(recovery.text).not.toContain('\u0000');
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

  it('cuts a 64 KiB second factor name or network, and renders the notice anyway', () => {
    const huge = 'A'.repeat(64 * 1024);
    const added = renderEmail({ ...samples.second_factor_added, name: huge, tenantDisplayName: huge });
    expect(added.subject.length).toBeLessThanOrEqual(150);
    expect(added.html.length).toBeLessThan(16 * 1024);
    expect(added.text.replace(/\n/g, ' ')).toContain(`named “${'A'.repeat(99)}…”`);
    expect(added.text.replace(/\n/g, ' ')).not.toContain('A'.repeat(101));
    const used = renderEmail({ ...samples.recovery_code_used, network: huge });
    expect(used.text).toContain(`Network:     ${'A'.repeat(63)}…\n`);
    expect(used.html.length).toBeLessThan(16 * 1024);
    const reset = renderEmail({ ...samples.second_factors_reset, tenantDisplayName: huge });
    expect(reset.subject.length).toBeLessThanOrEqual(150);
    expect(reset.html.length).toBeLessThan(16 * 1024);
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

  it.each(
    (['recovery_code_used', 'second_factor_added', 'second_factors_reset'] as const).flatMap((template) =>
      (
        [
          ['javascript:', 'javascript:alert(1)'],
          ['ftp:', 'ftp://id.example/account?token=x'],
          ['relative', '/tenants/acme/account?token=x'],
          ['NUL', 'https://id.example/account?token=a\u0000b'],
          ['64 KiB', `https://id.example/account?token=${'a'.repeat(64 * 1024)}`],
        ] as const
      ).map(([kind, link]) => [template, kind, link] as const),
    ),
  )('%s refuses a %s accountLink', (template, _case, accountLink) => {
    const error = renderError(() => renderEmail({ ...samples[template], accountLink }));
    expect(error.param).toBe('accountLink');
    expect(error.message).toMatch(new RegExp(`^cannot render ${template} e-mail: accountLink `));
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
    ['a negative count of recovery codes', { ...samples.recovery_code_used, remaining: -1 }, 'remaining'],
    ['a fractional count of recovery codes', { ...samples.recovery_code_used, remaining: 2.5 }, 'remaining'],
    ['a count of recovery codes that is not a number', { ...samples.recovery_code_used, remaining: '3' as unknown as number }, 'remaining'],
    ['NaN recovery codes', { ...samples.recovery_code_used, remaining: Number.NaN }, 'remaining'],
    ['infinitely many recovery codes', { ...samples.recovery_code_used, remaining: Number.POSITIVE_INFINITY }, 'remaining'],
    ['an absurd count of recovery codes', { ...samples.recovery_code_used, remaining: 1e21 }, 'remaining'],
    ['a missing count of recovery codes', { ...samples.recovery_code_used, remaining: undefined as unknown as number }, 'remaining'],
    ['a malformed recovery-code timestamp', { ...samples.recovery_code_used, when: '2025-03-03 14:05' }, 'when'],
    ['an empty recovery-code network', { ...samples.recovery_code_used, network: ' \u0000 ' }, 'network'],
    ['an unknown kind of second factor', { ...samples.second_factor_added, factor: 'sms' as 'totp' }, 'factor'],
    ['a second factor name that is not a string', { ...samples.second_factor_added, name: 42 as unknown as string }, 'name'],
    ['a malformed second-factor timestamp', { ...samples.second_factor_added, when: 'yesterday' }, 'when'],
    ['a malformed reset timestamp', { ...samples.second_factors_reset, when: '2025-03-03T14:05:09' }, 'when'],
    ['an empty tenant name on a reset notice', { ...samples.second_factors_reset, tenantDisplayName: '\u202E\u0000' }, 'tenantDisplayName'],
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
