import { Secret, TOTP } from 'otpauth';
import type { UserAgent } from './user-agent.js';

/** The authenticator app of a test: computes codes from the key the enrolment page shows. */
export class TestAuthenticator {
  readonly #totp: TOTP;

  constructor(base32Key: string) {
    this.#totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(base32Key.replace(/\s/g, '')) });
  }

  /** The code shown `offsetSteps` steps (of 30 s) from now. */
  code(offsetSteps = 0): string {
    return this.#totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
  }
}

/** The key in the `<code class="secret">` of an enrolment page. */
export function enrolmentKey(html: string): string {
  const key = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(html)?.[1];
  if (key === undefined) throw new Error(`no key on the enrolment page:\n${html}`);
  return key;
}

/** The recovery codes listed on the page that shows them once. */
export function recoveryCodesOn(html: string): string[] {
  return [...html.matchAll(/<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})<\/code><\/li>/g)].map((m) => m[1]!);
}

/**
 * Sets up an authenticator app from the account page the agent is on: "Set up", read the key,
 * confirm with the current code. Returns the app and the recovery codes shown.
 */
export async function enrolFromAccountPage(agent: UserAgent, accountUrl: string, accountHtml: string): Promise<{ app: TestAuthenticator; codes: string[]; codesUrl: string }> {
  const setup = await agent.submitFormTo(accountUrl, accountHtml, '/account/totp/start', {});
  const page = await setup.response.text();
  const app = new TestAuthenticator(enrolmentKey(page));
  const confirmed = await agent.submitFormTo(setup.url, page, '/account/totp/confirm', { code: app.code() });
  const codes = recoveryCodesOn(await confirmed.response.text());
  return { app, codes, codesUrl: confirmed.url };
}
