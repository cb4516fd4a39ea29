// The peer under comparison: node-oidc-provider 9.13 issuing ES256 JWT access tokens (resource
// indicators, accessTokenFormat 'jwt') for client_credentials and refresh_token (rotation on).
// Bench-only; started pinned by the bench scripts, one process, like the API under test.
// Env: PORT, PEER_SERVICE_SECRET, PEER_WEB_SECRET, PEER_ADAPTER (memory | redis), PEER_REDIS_URL,
// PEER_REDIS_PREFIX. IPC: {type:'mint', count} → {type:'minted', tokens}.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import Provider, { type Adapter } from 'oidc-provider';

type AdapterPayload = Record<string, unknown>;

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const RESOURCE = 'https://api.bench.example';
const SCOPE = 'orders:read';
const REFRESH_SCOPE = `openid email offline_access ${SCOPE}`;

/**
 * An unbounded in-memory adapter. The built-in MemoryAdapter is an LRU of 1000 entries, which would
 * evict a pre-minted refresh pool; a Map is the peer's best case (no database round trip at all).
 */
const store = new Map<string, Record<string, unknown>>();
const byGrant = new Map<string, Set<string>>();
class MapAdapter implements Adapter {
  constructor(private readonly model: string) {}
  #key(id: string) {
    return `${this.model}:${id}`;
  }
  async upsert(id: string, payload: Record<string, unknown>): Promise<void> {
    const key = this.#key(id);
    store.set(key, payload);
    if (typeof payload.grantId === 'string') {
      const keys = byGrant.get(payload.grantId) ?? new Set<string>();
      keys.add(key);
      byGrant.set(payload.grantId, keys);
    }
  }
  async find(id: string) {
    return store.get(this.#key(id));
  }
  async findByUserCode() {
    return undefined;
  }
  async findByUid(uid: string) {
    for (const payload of store.values()) if (payload.uid === uid) return payload;
    return undefined;
  }
  async consume(id: string): Promise<void> {
    const payload = store.get(this.#key(id));
    if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string): Promise<void> {
    store.delete(this.#key(id));
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of byGrant.get(grantId) ?? []) store.delete(key);
    byGrant.delete(grantId);
  }
}

/**
 * A durable adapter, as node-oidc-provider is run in production: every grant, refresh token and
 * consumption a Redis write, the way its documented Redis adapter example stores them (a hash per
 * model entry with the JSON payload and a `consumed` field, a list of keys per grant for revocation).
 */
const redis = process.env.PEER_ADAPTER === 'redis' ? new Redis(process.env.PEER_REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true }) : undefined;
const redisPrefix = process.env.PEER_REDIS_PREFIX ?? `peer:${randomUUID()}:`;
class RedisAdapter implements Adapter {
  constructor(private readonly model: string) {}
  #key(id: string) {
    return `${redisPrefix}${this.model}:${id}`;
  }
  async upsert(id: string, payload: AdapterPayload, expiresIn = 0): Promise<void> {
    const key = this.#key(id);
    const multi = redis!.multi().del(key).hset(key, 'payload', JSON.stringify(payload));
    if (expiresIn > 0) multi.expire(key, expiresIn);
    if (typeof payload.grantId === 'string') {
      const grantKey = `${redisPrefix}grant:${payload.grantId}`;
      multi.rpush(grantKey, key);
      if (expiresIn > 0) multi.expire(grantKey, expiresIn, 'GT');
    }
    await multi.exec();
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    const entry = await redis!.hgetall(this.#key(id));
    if (entry.payload === undefined) return undefined;
    return { ...(JSON.parse(entry.payload) as AdapterPayload), ...(entry.consumed === undefined ? {} : { consumed: Number(entry.consumed) }) };
  }
  async findByUserCode() {
    return undefined;
  }
  async findByUid() {
    return undefined;
  }
  async consume(id: string): Promise<void> {
    await redis!.hset(this.#key(id), 'consumed', Math.floor(Date.now() / 1000));
  }
  async destroy(id: string): Promise<void> {
    await redis!.del(this.#key(id));
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = `${redisPrefix}grant:${grantId}`;
    const keys = await redis!.lrange(grantKey, 0, -1);
    await redis!.del(...keys, grantKey);
  }
}

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'ES256', use: 'sig' };

const provider = new Provider(issuer, {
  adapter: redis === undefined ? MapAdapter : RedisAdapter,
  jwks: { keys: [jwk] },
  cookies: { keys: ['bench-only-cookie-key-0123456789abcdef'] },
  // Only an EC key is configured, so everything this peer signs is ES256 (default would be RS256).
  clientDefaults: { id_token_signed_response_alg: 'ES256' },
  clients: [
    {
      client_id: 'bench-service',
      client_secret: process.env.PEER_SERVICE_SECRET,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SCOPE,
    },
    {
      client_id: 'bench-web',
      client_secret: process.env.PEER_WEB_SECRET,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['https://web.bench.example/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: REFRESH_SCOPE,
    },
  ],
  scopes: ['openid', 'email', 'offline_access', SCOPE],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  findAccount: async (_ctx: unknown, sub: string) => ({
    accountId: sub,
    claims: async () => ({ sub, email: `${sub}@bench.example`, email_verified: true }),
  }),
  rotateRefreshToken: true,
  ttl: { AccessToken: 300, ClientCredentials: 300, IdToken: 300, RefreshToken: 14 * 86_400, Grant: 30 * 86_400 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => RESOURCE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: SCOPE,
        audience: RESOURCE,
        accessTokenTTL: 300,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
provider.on('server_error', (_ctx, error) => console.error('peer server_error', error));

/** Refresh tokens minted the cheap way: a Grant and a RefreshToken saved straight into the adapter. */
async function mint(count: number): Promise<string[]> {
  const client = await provider.Client.find('bench-web');
  if (client === undefined) throw new Error('bench-web missing');
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const accountId = `user${i % 8}`;
    const grant = new provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope('openid email offline_access');
    grant.addResourceScope(RESOURCE, SCOPE);
    const grantId = await grant.save();
    const refreshToken = new provider.RefreshToken({
      accountId,
      client,
      grantId,
      gty: 'authorization_code',
      scope: REFRESH_SCOPE,
      resource: RESOURCE,
      authTime: Math.floor(Date.now() / 1000),
      expiresWithSession: false,
      rotations: 0,
    });
    tokens.push(await refreshToken.save());
  }
  return tokens;
}

process.on('message', (message: { type: string; count: number }) => {
  if (message.type !== 'mint') return;
  void mint(message.count).then(
    (tokens) => process.send?.({ type: 'minted', tokens }),
    (error: Error) => process.send?.({ type: 'error', message: error.stack ?? error.message }),
  );
});
process.on('SIGTERM', () => process.exit(0));

provider.listen(port, '127.0.0.1', () => console.log(`peer listening on ${issuer}`));
