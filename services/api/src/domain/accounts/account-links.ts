/**
 * The addresses of the hosted account pages of one issuer, as put into emails and onto pages.
 * Tokens travel in the query: pages answer with `Referrer-Policy: no-referrer` and log only the
 * route pattern, so a link's token is not leaked onwards.
 */
export const accountPaths = {
  signup: '/signup',
  verifyEmail: '/email/verify',
  resendVerification: '/email/verify/resend',
  forgotPassword: '/password/forgot',
  resetPassword: '/password/reset',
  confirmEmailChange: '/email/confirm',
  invitation: '/invitation',
  account: '/account',
  accountLogin: '/account/login',
} as const;

export type AccountPage = keyof typeof accountPaths;

/** `{issuer}{path}` with an optional one-time token. */
export function accountLink(issuer: string, page: AccountPage, token?: string): string {
  const url = `${issuer}${accountPaths[page]}`;
  return token === undefined ? url : `${url}?token=${encodeURIComponent(token)}`;
}
