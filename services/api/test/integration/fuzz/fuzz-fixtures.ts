import { adminClient } from '../../support/admin-client.js';
import type { TestApi } from '../../support/test-api.js';

/** A path parameter filled from a dictionary of real ids with this probability (else generated). */
export interface DictionaryBinding {
  readonly dictionary: string;
  readonly probability: number;
}

/** Which real ids the fuzzer puts into which path parameters (schemathesis `[parameters]`). */
export interface FuzzerData {
  /** Named lists of real ids. */
  readonly dictionaries: Readonly<Record<string, readonly string[]>>;
  /** `path.<name>` → binding, for every operation. */
  readonly parameters: Readonly<Record<string, DictionaryBinding>>;
  /** Per operation (`METHOD /path`): bindings that replace those, and whether ids seen in responses may fill it. */
  readonly operations: Readonly<Record<string, OperationData>>;
}

export interface OperationData {
  readonly parameters: Readonly<Record<string, DictionaryBinding>>;
  /**
   * Schemathesis also fills parameters with values it saw in earlier responses (`acme-web` from a
   * client list, alice's id from a user). For the operations that destroy or change fixtures that
   * others need, it must not: they get generated values and their own sacrificial ids only.
   */
  readonly reuseResponses: boolean;
  /**
   * A list that a DELETE on the same path empties (`DELETE …/sessions` ends them all): reading it
   * afterwards rightly answers 200 with no items. Schemathesis's use-after-free check takes a
   * DELETE with path parameters for one resource and expects 404, so it is off for this read only.
   */
  readonly emptiedByDelete?: true;
}

const OFTEN = 0.8;
const HALF = 0.5;
const bind = (dictionary: string, probability = OFTEN): DictionaryBinding => ({ dictionary, probability });
/** An operation that needs a coherent tuple of real ids (this user's session, this client's secret). */
const deep = (parameters: Record<string, DictionaryBinding>): OperationData => ({ parameters, reuseResponses: true });
/** An operation that destroys or changes what other operations need: its own sacrificial ids only. */
const destructive = (parameters: Record<string, DictionaryBinding>): OperationData => ({ parameters, reuseResponses: false });

/**
 * Data for the fuzzer to reach past the 404s: a tenant (`acme`) with one client of each kind (a
 * confidential web app holding two secrets, a public SPA, a machine client), users in each state
 * (verified with a password, never signed in, disabled, invited), live sessions, a consent, an
 * upstream provider with alice linked to it; a second tenant for cross-tenant ids; and things that
 * exist only to be deleted. Sessions and consents have no admin API that creates them (sign-ins
 * do), so they are inserted as sign-ins leave them.
 *
 * The bindings keep the data alive for the whole run and the ids coherent: every operation gets
 * real tenant, client and user ids, but each destructive one only its own sacrificial ones (the
 * `doomed` tenant, client and user, alice's sessions, erin for "end all sessions", the second
 * secret and the consent), so deleting the fixture tenant early does not turn the rest of the
 * run into 404s. The bootstrap admin client in `system` is never offered: revoking its own
 * credential would turn the rest of the run into 401s.
 */
export async function seedFuzzFixtures(api: TestApi, token: string): Promise<FuzzerData> {
  const admin = adminClient(api.app, token);
  const ok = async <T>(what: string, pending: ReturnType<typeof admin.get>): Promise<T> => {
    const response = await pending;
    if (response.statusCode < 200 || response.statusCode > 299) throw new Error(`fixture ${what}: ${response.statusCode} ${response.body}`);
    return response.json() as T;
  };
  const userId = async (what: string, body: Record<string, unknown>) => (await ok<{ id: string }>(what, admin.post('/tenants/acme/users', body))).id;

  // The policy minimum equals the schema's, so schema-valid passwords of any length pass it.
  await ok('tenant acme', admin.put('/tenants/acme', { displayName: 'Acme', accounts: { signup: 'open', passwordMinLength: 8 }, rateLimits: { tokenPerMinute: 600 } }));
  await ok('tenant globex', admin.put('/tenants/globex', { displayName: 'Globex', managedBy: 'lanyard-operator' }));
  await ok('tenant doomed', admin.put('/tenants/doomed', { displayName: 'Doomed' }));
  await ok('user in doomed', admin.post('/tenants/doomed/users', { email: 'someone@doomed.example' }));
  const globexUser = await ok<{ id: string }>('user in globex', admin.post('/tenants/globex/users', { email: 'gina@globex.example' }));

  await ok(
    'client acme-web',
    admin.put('/tenants/acme/clients/acme-web', {
      type: 'confidential',
      displayName: 'Acme Web',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://web.acme.example/callback'],
      postLogoutRedirectUris: ['https://web.acme.example/'],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      audience: ['https://api.acme.example'],
      tokenLifetimes: { accessToken: 600 },
    }),
  );
  const secret = await ok<{ id: string }>('second secret of acme-web', admin.post('/tenants/acme/clients/acme-web/secrets', { secret: 'fuzz-fixture-second-secret-0123456789abcdef' }));
  await ok('client acme-spa', admin.put('/tenants/acme/clients/acme-spa', { type: 'public', grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/callback'], allowedCorsOrigins: ['https://spa.acme.example'], scopes: ['openid'] }));
  await ok('client acme-m2m', admin.put('/tenants/acme/clients/acme-m2m', { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['reports:read'], tokenEndpointAuthMethod: 'client_secret_post' }));
  await ok('client acme-doomed', admin.put('/tenants/acme/clients/acme-doomed', { type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://doomed.acme.example/cb'] }));

  const alice = await userId('user alice', { email: 'alice@acme.example', password: 'correct horse battery', emailVerified: true, name: 'Alice', locale: 'en-GB', address: { country: 'GB' } });
  const erin = await userId('user erin', { email: 'erin@acme.example', password: 'erin has a long password', emailVerified: true });
  const bob = await userId('user bob', { email: 'bob@acme.example', name: 'Bob' });
  const carol = await userId('user carol', { email: 'carol@acme.example', password: 'another long password' });
  await ok('disable carol', admin.patch(`/tenants/acme/users/${carol}`, { disabled: true }));
  const dave = (await ok<{ userId: string }>('invitation of dave', admin.post('/tenants/acme/invitations', { email: 'dave@acme.example', invitedBy: 'Alice' }))).userId;
  const doomedUser = await userId('user doomed', { email: 'doomed@acme.example' });
  // Upstream providers are not fetched until a sign-in starts, so a loopback issuer that answers nothing will do.
  const provider = (name: string) => ({ displayName: name, issuer: 'http://127.0.0.1:9/upstream', clientId: `acme-at-${name}`, clientSecret: 'fuzz-fixture-upstream-secret', linking: 'existing-only' });
  await ok('provider corp', admin.put('/tenants/acme/identity-providers/corp', provider('corp')));
  await ok('provider doomed', admin.put('/tenants/acme/identity-providers/doomed-idp', provider('doomed-idp')));
  await ok('alice at corp', admin.put(`/tenants/acme/users/${alice}/identity-links/corp`, { subject: 'alice-at-corp' }));

  const tenantId = (await api.database.query<{ id: string }>(`select id from tenants where name = 'acme'`)).rows[0]!.id;
  const webRef = (await api.database.query<{ id: string }>(`select id from clients where tenant_id = $1 and client_id = 'acme-web'`, [tenantId])).rows[0]!.id;
  const session = (user: string, hash: string, userAgent: string | null) =>
    api.database.query<{ id: string }>(
      `insert into sessions (tenant_id, user_id, token_hash, auth_time, amr, user_agent, ip_network, expires_at)
       values ($1, $2, $3, now(), '{pwd}', $4, $5, now() + interval '1 day') returning id`,
      [tenantId, user, Buffer.from(hash), userAgent, userAgent === null ? null : '192.0.2.0/24'],
    );
  const aliceSessions = [(await session(alice, 'alice-1', 'Mozilla/5.0 (X11; Linux x86_64)')).rows[0]!.id, (await session(alice, 'alice-2', null)).rows[0]!.id];
  await session(erin, 'erin-1', 'curl/8');
  await api.database.query(`insert into consents (user_id, client_ref, scopes) values ($1, $2, '{openid,profile}')`, [alice, webRef]);

  return {
    dictionaries: {
      tenants: ['acme', 'globex'],
      clients: ['acme-web', 'acme-spa', 'acme-m2m'],
      users: [alice, erin, bob, carol, dave, globexUser.id],
      sessions: aliceSessions,
      secrets: [secret.id],
      'doomed-tenant': ['doomed'],
      'doomed-client': ['acme-doomed'],
      'doomed-user': [doomedUser],
      acme: ['acme'],
      'acme-web': ['acme-web'],
      alice: [alice],
      erin: [erin],
      'patchable-users': [bob, carol, dave],
      providers: ['corp'],
      'doomed-provider': ['doomed-idp'],
      'emailed-users': [alice, bob, carol],
    },
    parameters: {
      'path.tenant': bind('tenants'),
      'path.clientId': bind('clients'),
      'path.userId': bind('users'),
      'path.sessionId': bind('sessions'),
      'path.secretId': bind('secrets'),
      'path.provider': bind('providers'),
    },
    operations: {
      'DELETE /admin/v1/tenants/{tenant}': destructive({ 'path.tenant': bind('doomed-tenant', HALF) }),
      'DELETE /admin/v1/tenants/{tenant}/clients/{clientId}': destructive({ 'path.tenant': bind('acme'), 'path.clientId': bind('doomed-client', HALF) }),
      'DELETE /admin/v1/tenants/{tenant}/users/{userId}': destructive({ 'path.tenant': bind('acme'), 'path.userId': bind('doomed-user', HALF) }),
      // A new password or disabling revokes the user's sessions; alice's must live until deleted.
      'PATCH /admin/v1/tenants/{tenant}/users/{userId}': destructive({ 'path.tenant': bind('acme'), 'path.userId': bind('patchable-users') }),
      'DELETE /admin/v1/tenants/{tenant}/clients/{clientId}/secrets/{secretId}': deep({ 'path.tenant': bind('acme'), 'path.clientId': bind('acme-web'), 'path.secretId': bind('secrets') }),
      'DELETE /admin/v1/tenants/{tenant}/users/{userId}/consents/{clientId}': deep({ 'path.tenant': bind('acme'), 'path.userId': bind('alice'), 'path.clientId': bind('acme-web') }),
      'DELETE /admin/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}': deep({ 'path.tenant': bind('acme'), 'path.userId': bind('alice'), 'path.sessionId': bind('sessions') }),
      'DELETE /admin/v1/tenants/{tenant}/users/{userId}/sessions': destructive({ 'path.tenant': bind('acme'), 'path.userId': bind('erin') }),
      'GET /admin/v1/tenants/{tenant}/users/{userId}/sessions': { ...deep({}), emptiedByDelete: true },
      // Like sessions: a reset empties the list, it does not remove the user, so a GET after it is 200.
      'DELETE /admin/v1/tenants/{tenant}/users/{userId}/factors': destructive({ 'path.tenant': bind('acme'), 'path.userId': bind('erin') }),
      'GET /admin/v1/tenants/{tenant}/users/{userId}/factors': { ...deep({}), emptiedByDelete: true },
      'DELETE /admin/v1/tenants/{tenant}/identity-providers/{provider}': destructive({ 'path.tenant': bind('acme'), 'path.provider': bind('doomed-provider', HALF) }),
      'POST /admin/v1/tenants/{tenant}/users/{userId}/verification-email': deep({ 'path.tenant': bind('acme'), 'path.userId': bind('emailed-users') }),
      'POST /admin/v1/tenants/{tenant}/clients/{clientId}/secrets': deep({ 'path.tenant': bind('acme'), 'path.clientId': bind('acme-web', HALF) }),
    },
  };
}
