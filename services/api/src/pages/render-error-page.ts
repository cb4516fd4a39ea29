import type { FastifyReply } from 'fastify';
import { html } from './html.js';
import { layout } from './layout.js';
import { applyPageHeaders } from './page-headers.js';

/**
 * The page shown when an error must not be redirected to the client (unknown client, mismatched
 * redirect URI — RFC 6749 §4.1.2.1) or happens on a hosted page.
 */
export function renderErrorPage(status: number, code: string, message: string, reply: FastifyReply): string {
  applyPageHeaders(reply);
  return layout({
    title: 'Sign-in error',
    stylesheet: '/assets/lanyard.css',
    body: html`<h1>Something went wrong</h1>
<p class="error" role="alert">${message}</p>
<p class="muted">Error code: <code>${code}</code> (HTTP ${status})</p>`,
  });
}
