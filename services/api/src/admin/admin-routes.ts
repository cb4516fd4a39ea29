import type { FastifyInstance } from 'fastify';
import { jsonBodyValidatorCompiler } from '../http/validator-compilers.js';
import { registerAccountEmailRoutes, type AccountEmailRoutesDeps } from './account-email-routes.js';
import { adminAuthenticator, type AdminAuthDeps } from './admin-auth.js';
import { registerClientRoutes, type ClientRoutesDeps } from './client-routes.js';
import { registerTenantRoutes, type TenantRoutesDeps } from './tenant-routes.js';
import { registerUserRoutes, type UserRoutesDeps } from './user-routes.js';
import { registerFactorRoutes, type FactorRoutesDeps } from './factor-routes.js';
import { registerIdentityProviderRoutes, type IdentityProviderRoutesDeps } from './identity-provider-routes.js';
import { registerIdentityLinkRoutes, type IdentityLinkRoutesDeps } from './identity-link-routes.js';

/** What the whole admin API needs: the union of what its authenticator and each resource's routes use. */
export type AdminRoutesDeps = AdminAuthDeps & TenantRoutesDeps & ClientRoutesDeps & UserRoutesDeps & FactorRoutesDeps & IdentityProviderRoutesDeps & IdentityLinkRoutesDeps & AccountEmailRoutesDeps;

/**
 * The admin API (docs/reference/admin-api.md) under `/admin/v1`: one encapsulated plugin whose
 * `onRequest` hook authenticates every route in it (bearer token, `lanyard:admin`) and which takes
 * JSON bodies as sent (validator-compilers.ts: no type coercion), then one file per resource
 * (`*-routes.ts`). Every route has a schema for params, body and each response status,
 * which also feeds the OpenAPI document at /docs. A new resource gets its own file and one line here.
 */
export async function registerAdminRoutes(parent: FastifyInstance, deps: AdminRoutesDeps): Promise<void> {
  await parent.register(
    async (scope) => {
      scope.addHook('onRequest', adminAuthenticator(deps));
      scope.setValidatorCompiler(jsonBodyValidatorCompiler());
      registerTenantRoutes(scope, deps);
      registerClientRoutes(scope, deps);
      registerUserRoutes(scope, deps);
      registerFactorRoutes(scope, deps);
      registerIdentityProviderRoutes(scope, deps);
      registerIdentityLinkRoutes(scope, deps);
      registerAccountEmailRoutes(scope, deps);
    },
    { prefix: '/admin/v1' },
  );
}
