import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import type { Tenant } from '@lanyard/db';
import { withResponseFloor } from '../domain/accounts/response-floor.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderEmailRequestPage, renderNoticePage } from '../pages/account-pages.js';
import type { FormCsrf } from './form-csrf.js';
import { chargeAccountRequest, looksLikeEmail, PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage, type AccountRequestLimitDeps } from './page-kit.js';
import { carry, resumable, signInHref, type ResumeDeps } from './resume.js';

export interface EmailRequestDeps extends AccountRequestLimitDeps, ResumeDeps {
  readonly tenants: TenantLookup;
  readonly formCsrf: FormCsrf;
  readonly config: AccountRequestLimitDeps['config'] & Pick<ApiConfig, 'ACCOUNT_RESPONSE_FLOOR_MS'>;
}

/** One "enter your address and we will mail you a link" form. */
export interface EmailRequestForm {
  /** Under the issuer, e.g. `/password/forgot`; the answer page is `{path}/sent`. */
  readonly path: string;
  /** The CSRF purpose of the form. */
  readonly purpose: string;
  readonly title: string;
  readonly intro: string;
  /** What `{path}/sent` says, the same whether or not anything was sent. */
  readonly sentMessage: string;
  /** Mails the link if the address qualifies; must not reveal whether it did. */
  readonly send: (tenant: Tenant, email: string, resume: { interactionId?: string | undefined }) => Promise<void>;
}

/**
 * The three routes of an {@link EmailRequestForm}: GET shows it, POST (CSRF-checked, counted
 * against the network's account-request limit) runs `send` under the response floor and answers
 * 303 to `{path}/sent` in every case, which says the same whatever happened. `interaction` carries
 * an app's pending sign-in through.
 */
export function registerEmailRequestRoutes(app: FastifyInstance, deps: EmailRequestDeps, form: EmailRequestForm): void {
  const route = `/tenants/:tenant${form.path}`;
  const render = (tenant: Tenant, interactionId: string | undefined, csrf: string, email: string, error?: string) =>
    renderEmailRequestPage({
      ...pageTenant(tenant),
      title: form.title,
      intro: form.intro,
      action: `${pageBase(tenant)}${form.path}`,
      hidden: { csrf_token: csrf, interaction: interactionId },
      email,
      button: 'Send link',
      error,
      backHref: signInHref(pageBase(tenant), interactionId),
    });

  app.get(route, PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const interaction = await resumable(deps, request, tenant, readQuery(request).get('interaction'));
    return sendPage(reply, render(tenant, interaction?.id, deps.formCsrf.forBrowser(request, reply, tenant.name, form.purpose), interaction?.loginEmail ?? ''));
  });

  app.post(route, PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const fields = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, form.purpose, fields.get('csrf_token'));
    const interaction = await resumable(deps, request, tenant, fields.get('interaction'));
    await chargeAccountRequest(deps, request, tenant);
    const email = (fields.get('email') ?? '').trim();
    if (!looksLikeEmail(email)) {
      return sendPage(reply, render(tenant, interaction?.id, deps.formCsrf.forBrowser(request, reply, tenant.name, form.purpose), email.slice(0, 254), 'Enter a valid email address.'), 422);
    }
    await withResponseFloor(deps.config.ACCOUNT_RESPONSE_FLOOR_MS, () => form.send(tenant, email, { interactionId: interaction?.id }));
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}${form.path}/sent${carry(interaction?.id)}`);
  });

  app.get(`${route}/sent`, PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const interaction = await resumable(deps, request, tenant, readQuery(request).get('interaction'));
    return sendPage(reply, renderNoticePage({ ...pageTenant(tenant), title: 'Check your inbox', message: form.sentMessage, links: [['Back to sign-in', signInHref(pageBase(tenant), interaction?.id)]] }));
  });
}
