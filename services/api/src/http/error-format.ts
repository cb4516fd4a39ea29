/**
 * How a route reports errors (docs/architecture.md: one handler, the right format per route):
 * - `oauth`: RFC 6749 §5.2 JSON (`error`, `error_description`) — token, revoke, introspect, userinfo;
 * - `problem`: RFC 9457 `application/problem+json` — admin API and everything else;
 * - `html`: an error page — the authorization endpoint and hosted pages when no redirect is allowed.
 */
export type ErrorFormat = 'oauth' | 'problem' | 'html';

declare module 'fastify' {
  interface FastifyContextConfig {
    errorFormat?: ErrorFormat;
  }
}
