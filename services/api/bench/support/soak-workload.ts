// The soak's mixed workload: client_credentials, refresh_token rotation, hosted logins (the real
// form flow, Argon2id) and admin writes, each sent at a fixed arrival rate (open loop) by this
// driver. Latency counts from the *scheduled* send time, so a server that falls behind shows up in
// the tail instead of slowing the driver down (coordinated omission).
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { basicAuth, BENCH_TENANT, CLIENT_CREDENTIALS_BODY, SERVICE_CLIENT, SERVICE_SCOPE, serviceClientSpec, WEB_CLIENT, WEB_REDIRECT, type LanyardServer } from './lanyard.js';
import { benchSecrets } from './settings.js';
import { LatencyHistogram } from './soak-stats.js';

const BINDING_COOKIE = '__Secure-lanyard_binding';
const DEVICE_COOKIE = '__Secure-lanyard_device';
const FORM = 'application/x-www-form-urlencoded';
const REQUEST_TIMEOUT_MS = 30_000;
/** Arrivals beyond this many unfinished operations are counted as dropped, not sent (driver memory stays bounded). */
const MAX_IN_FLIGHT = 2_000;

export type OperationKind = 'client_credentials' | 'refresh_token' | 'login' | 'admin_write';
export const OPERATION_KINDS: readonly OperationKind[] = ['client_credentials', 'refresh_token', 'login', 'admin_write'];

/** Arrivals per second of each operation kind (a login is one whole flow, four requests). */
export type Rates = Readonly<Record<OperationKind, number>>;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function send(agent: Agent, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const all = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = request(url, { method, agent, headers: all, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('ETIMEDOUT')));
    req.on('error', reject);
    req.end(body);
  });
}

const errorCode = (error: unknown) => `error:${(error as { code?: string }).code ?? (error as Error).message ?? 'unknown'}`;

/** Responses by status (or `error:<code>`, `dropped`, `skipped:<why>`) and latency of one request kind. */
export class KindStats {
  readonly statuses = new Map<string, number>();
  readonly latency = new LatencyHistogram();
  /** Since the last sample row. */
  readonly window = new LatencyHistogram();
  windowCount = 0;

  count(outcome: string): void {
    this.statuses.set(outcome, (this.statuses.get(outcome) ?? 0) + 1);
    this.windowCount += 1;
  }

  record(outcome: string, ms: number): void {
    this.count(outcome);
    this.latency.record(ms);
    this.window.record(ms);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.statuses.values()) sum += n;
    return sum;
  }

  get serverErrors(): number {
    let sum = 0;
    for (const [status, n] of this.statuses) if (status.startsWith('5')) sum += n;
    return sum;
  }

  resetWindow(): void {
    this.window.reset();
    this.windowCount = 0;
  }
}

/**
 * Request kinds whose statuses and latencies the soak reports. A login flow is recorded once as
 * `login flow` (outcome `ok` or the step it failed at; latency from the scheduled start to the code
 * exchange's answer) and once per request under its step.
 */
export const REQUEST_KINDS = [
  'client_credentials',
  'refresh_token',
  'login flow',
  'login: GET authorize',
  'login: GET login page',
  'login: POST login',
  'login: code exchange',
  'admin: create',
  'admin: update',
  'admin: delete',
  'admin token',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

const msSince = (scheduled: bigint) => Number(process.hrtime.bigint() - scheduled) / 1e6;

interface AdminEntity {
  readonly type: 'client' | 'user';
  readonly name: string;
  /** The user's id (users are addressed by id); the client id for clients. */
  readonly id: string;
}

export class SoakWorkload {
  readonly stats = new Map<RequestKind, KindStats>(REQUEST_KINDS.map((k) => [k, new KindStats()]));
  /** Refresh tokens ready for their next rotation (each in one place only: never sent twice). */
  readonly #refreshPool: string[] = [];
  readonly #serviceAgent = new Agent({ keepAlive: true, maxSockets: 256 });
  readonly #browserAgent = new Agent({ keepAlive: true, maxSockets: 16 });
  readonly #adminAgent = new Agent({ keepAlive: true, maxSockets: 16 });
  readonly #tokenUrl: string;
  readonly #serviceHeaders = { 'content-type': FORM, authorization: basicAuth(SERVICE_CLIENT, benchSecrets.serviceSecret) };
  readonly #webHeaders = { 'content-type': FORM, authorization: basicAuth(WEB_CLIENT, benchSecrets.webSecret) };
  #adminToken: { token: string; renewAt: number } | undefined;
  #adminTokenPending: Promise<string> | undefined;
  /** Admin writes cycle create → update → delete, so the tenant does not grow over the run. */
  readonly #toUpdate: AdminEntity[] = [];
  readonly #toDelete: AdminEntity[] = [];
  #adminCounter = 0;
  /** Names of created entities: never reused, so no two writes race on one new client or user. */
  #entityCounter = 0;
  #loginCounter = 0;
  /**
   * Each user signs in from a browser of their own, which keeps the device cookie every sign-in
   * renews (a random id; the API takes any well-formed one), so a soak login is a returning
   * browser's and queues no new-device notice.
   */
  readonly #deviceCookies = new Map<string, string>();
  #inFlight = 0;
  readonly #runId = randomBytes(3).toString('hex');

  constructor(
    private readonly server: LanyardServer,
    private readonly emails: readonly string[],
  ) {
    this.#tokenUrl = `${server.issuer}/oauth2/token`;
  }

  get refreshPoolSize(): number {
    return this.#refreshPool.length;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  #stat(kind: RequestKind): KindStats {
    return this.stats.get(kind)!;
  }

  /**
   * One request of `kind`, recorded with its latency from `from` (the scheduled time for the first
   * request of an operation; its own start when omitted). `undefined` on a transport error
   * (recorded as `error:<code>`).
   */
  async #call(kind: RequestKind, from: bigint | undefined, agent: Agent, method: string, url: string, headers: Record<string, string>, body?: string): Promise<Answer | undefined> {
    const started = from ?? process.hrtime.bigint();
    try {
      const answer = await send(agent, method, url, headers, body);
      this.#stat(kind).record(String(answer.status), msSince(started));
      return answer;
    } catch (error) {
      this.#stat(kind).count(errorCode(error));
      return undefined;
    }
  }

  async clientCredentials(scheduled: bigint): Promise<void> {
    await this.#call('client_credentials', scheduled, this.#serviceAgent, 'POST', this.#tokenUrl, this.#serviceHeaders, CLIENT_CREDENTIALS_BODY);
  }

  /** Rotates the oldest refresh token in the pool; its successor goes to the back. */
  async refresh(scheduled: bigint): Promise<void> {
    const token = this.#refreshPool.shift();
    if (token === undefined) {
      this.#stat('refresh_token').count('skipped:pool empty');
      return;
    }
    const answer = await this.#call('refresh_token', scheduled, this.#serviceAgent, 'POST', this.#tokenUrl, this.#webHeaders, `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`);
    // A chain ends on anything else: a transport error may or may not have consumed the token, and
    // sending it again could trip reuse detection.
    if (answer?.status === 200) {
      const successor = (JSON.parse(answer.body) as { refresh_token?: string }).refresh_token;
      if (successor !== undefined) this.#refreshPool.push(successor);
    }
  }

  /**
   * A user's browser signing in: GET /authorize (303 to the login page, a fresh binding cookie), GET the
   * login page for the interaction and CSRF token, POST the form (Argon2id verify, 303 back to the
   * client with a code), then the client redeems the code (PKCE) for tokens. The refresh token joins
   * the rotation pool.
   */
  async login(scheduled: bigint): Promise<boolean> {
    const flow = this.#stat('login flow');
    const i = this.#loginCounter++;
    const email = this.emails[i % this.emails.length]!;
    if (!this.#deviceCookies.has(email)) this.#deviceCookies.set(email, randomBytes(32).toString('base64url'));
    const cookie = `${BINDING_COOKIE}=${randomBytes(32).toString('base64url')}; ${DEVICE_COOKIE}=${this.#deviceCookies.get(email)!}`;
    const verifier = randomBytes(32).toString('base64url');
    const state = `soak${i}`;
    const authorize = new URL(`${this.server.issuer}/oauth2/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: WEB_CLIENT,
      redirect_uri: WEB_REDIRECT,
      scope: `openid email offline_access ${SERVICE_SCOPE}`,
      state,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(k, v);
    }
    const failed = (step: string) => {
      flow.count(`failed:${step}`);
      return false;
    };

    const redirect = await this.#call('login: GET authorize', scheduled, this.#browserAgent, 'GET', authorize.toString(), { cookie });
    const location = String(redirect?.headers.location ?? '');
    if (redirect?.status !== 303 || !location.includes('/login?interaction=')) return failed('authorize');

    const page = await this.#call('login: GET login page', undefined, this.#browserAgent, 'GET', new URL(location, this.server.baseUrl).toString(), { cookie });
    const interaction = /name="interaction" value="([^"]+)"/.exec(page?.body ?? '')?.[1];
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page?.body ?? '')?.[1];
    if (page?.status !== 200 || interaction === undefined || csrf === undefined) return failed('login page');

    const form = new URLSearchParams({ interaction, csrf_token: csrf, email, password: benchSecrets.userPassword }).toString();
    const submitted = await this.#call('login: POST login', undefined, this.#browserAgent, 'POST', `${this.server.issuer}/login`, { 'content-type': FORM, cookie }, form);
    const back = String(submitted?.headers.location ?? '');
    const code = back.startsWith(WEB_REDIRECT) ? new URL(back).searchParams.get('code') : null;
    if (submitted?.status !== 303 || code === null) return failed('login');

    const exchange = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: WEB_REDIRECT, code_verifier: verifier }).toString();
    const tokens = await this.#call('login: code exchange', undefined, this.#browserAgent, 'POST', this.#tokenUrl, this.#webHeaders, exchange);
    const refreshToken = tokens?.status === 200 ? (JSON.parse(tokens.body) as { refresh_token?: string }).refresh_token : undefined;
    if (refreshToken === undefined) return failed('code exchange');
    this.#refreshPool.push(refreshToken);
    flow.record('ok', msSince(scheduled));
    return true;
  }

  /** A system-tenant admin token, renewed a minute before it expires (ACCESS_TOKEN_TTL_SECONDS, 5 min). */
  async #admin(): Promise<string> {
    if (this.#adminToken !== undefined && Date.now() < this.#adminToken.renewAt) return this.#adminToken.token;
    this.#adminTokenPending ??= (async () => {
      try {
        const scheduled = process.hrtime.bigint();
        const headers = { 'content-type': FORM, authorization: basicAuth(benchSecrets.bootstrapClientId, benchSecrets.bootstrapClientSecret) };
        const answer = await this.#call('admin token', scheduled, this.#adminAgent, 'POST', `${this.server.baseUrl}/tenants/system/oauth2/token`, headers, 'grant_type=client_credentials');
        if (answer?.status !== 200) throw new Error(`admin token: ${answer?.status ?? 'transport error'} ${answer?.body ?? ''}`);
        const body = JSON.parse(answer.body) as { access_token: string; expires_in: number };
        this.#adminToken = { token: body.access_token, renewAt: Date.now() + Math.max(10, body.expires_in - 60) * 1000 };
        return body.access_token;
      } finally {
        this.#adminTokenPending = undefined;
      }
    })();
    return this.#adminTokenPending;
  }

  /**
   * One admin write, cycling create → update → delete over clients and users alternately: arrival
   * n creates when n % 3 is 0, updates the oldest created entity when 1, deletes the oldest updated
   * one when 2 (creating instead when there is none yet). Each entity is written by one request at a
   * time. Users are created without a password, so Argon2 stays with the logins.
   */
  async adminWrite(scheduled: bigint): Promise<void> {
    const n = this.#adminCounter++;
    let token: string;
    try {
      token = await this.#admin();
    } catch {
      this.#stat('admin: create').count('skipped:no admin token');
      return;
    }
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const base = `${this.server.baseUrl}/admin/v1/tenants/${BENCH_TENANT}`;
    const step = n % 3;
    if (step === 2 && this.#toDelete.length > 0) {
      const entity = this.#toDelete.shift()!;
      const url = entity.type === 'client' ? `${base}/clients/${entity.id}` : `${base}/users/${entity.id}`;
      await this.#call('admin: delete', scheduled, this.#adminAgent, 'DELETE', url, { authorization: headers.authorization });
      return;
    }
    if (step === 1 && this.#toUpdate.length > 0) {
      const entity = this.#toUpdate.shift()!;
      const answer =
        entity.type === 'client'
          ? await this.#call('admin: update', scheduled, this.#adminAgent, 'PUT', `${base}/clients/${entity.id}`, headers, JSON.stringify(clientSpec(entity.name, 'updated')))
          : await this.#call('admin: update', scheduled, this.#adminAgent, 'PATCH', `${base}/users/${entity.id}`, headers, JSON.stringify({ name: `${entity.name} (updated)`, locale: 'fr-CA' }));
      if (answer?.status === 200) this.#toDelete.push(entity);
      return;
    }
    const entityNumber = this.#entityCounter++;
    if (entityNumber % 2 === 0) {
      const name = `soak-${this.#runId}-c${entityNumber}`;
      const answer = await this.#call('admin: create', scheduled, this.#adminAgent, 'PUT', `${base}/clients/${name}`, headers, JSON.stringify(clientSpec(name, 'created')));
      if (answer?.status === 201) this.#toUpdate.push({ type: 'client', name, id: name });
    } else {
      const name = `soak-${this.#runId}-u${entityNumber}`;
      const answer = await this.#call('admin: create', scheduled, this.#adminAgent, 'POST', `${base}/users`, headers, JSON.stringify({ email: `${name}@bench.example`, name, emailVerified: true }));
      const id = answer?.status === 201 ? (JSON.parse(answer.body) as { id?: string }).id : undefined;
      if (id !== undefined) this.#toUpdate.push({ type: 'user', name, id });
    }
  }

  /** `count` login flows, two at a time (PASSWORD_HASH_CONCURRENCY): the first refresh chains. */
  async seedRefreshChains(count: number): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (next < count) {
          next += 1;
          if (!(await this.login(process.hrtime.bigint()))) throw new Error(`seeding refresh chains: a login flow failed (${JSON.stringify([...this.#stat('login flow').statuses])})`);
        }
      }),
    );
  }

  /** One admin write of each step before the clock starts, so a broken admin API fails fast. */
  async checkAdmin(): Promise<void> {
    for (let i = 0; i < 3; i += 1) await this.adminWrite(process.hrtime.bigint());
    const bad = [...this.stats].filter(([k, s]) => k.startsWith('admin') && [...s.statuses.keys()].some((status) => !['200', '201', '204'].includes(status)));
    if (bad.length > 0) throw new Error(`admin writes failed: ${JSON.stringify(bad.map(([k, s]) => [k, [...s.statuses]]))}`);
  }

  /** Statuses counted so far are setup, not soak: start from zero. */
  resetStats(): void {
    for (const kind of REQUEST_KINDS) this.stats.set(kind, new KindStats());
  }

  /**
   * Sends every kind at its rate for `seconds`: arrival i of a kind is due at start + i / rate and
   * sent when due, whatever earlier ones are doing (up to MAX_IN_FLIGHT unfinished, then dropped).
   * `onTick` runs every `tickSeconds` of schedule time. Resolves once every operation has finished.
   */
  async run(rates: Rates, seconds: number, tickSeconds: number, onTick: (elapsedSeconds: number) => Promise<void>): Promise<{ readonly elapsedSeconds: number; readonly dropped: Readonly<Record<OperationKind, number>>; readonly sent: Readonly<Record<OperationKind, number>> }> {
    const operations: Record<OperationKind, (scheduled: bigint) => Promise<unknown>> = {
      client_credentials: (s) => this.clientCredentials(s),
      refresh_token: (s) => this.refresh(s),
      login: (s) => this.login(s),
      admin_write: (s) => this.adminWrite(s),
    };
    const sent: Record<OperationKind, number> = { client_credentials: 0, refresh_token: 0, login: 0, admin_write: 0 };
    const dropped: Record<OperationKind, number> = { client_credentials: 0, refresh_token: 0, login: 0, admin_write: 0 };
    const issued: Record<OperationKind, number> = { client_credentials: 0, refresh_token: 0, login: 0, admin_write: 0 };
    const pending = new Set<Promise<unknown>>();
    const start = process.hrtime.bigint();
    let nextTick = tickSeconds;
    let ticking: Promise<void> | undefined;
    for (;;) {
      const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
      const horizon = Math.min(elapsed, seconds);
      for (const kind of OPERATION_KINDS) {
        const rate = rates[kind];
        if (rate <= 0) continue;
        // Arrival i is due at i / rate (the first at once); each is sent as soon as it is due.
        while (issued[kind] / rate <= horizon && issued[kind] / rate < seconds) {
          const scheduled = start + BigInt(Math.round((issued[kind] / rate) * 1e9));
          issued[kind] += 1;
          if (this.#inFlight >= MAX_IN_FLIGHT) {
            dropped[kind] += 1;
            continue;
          }
          sent[kind] += 1;
          this.#inFlight += 1;
          const op = operations[kind](scheduled)
            .catch(() => undefined)
            .finally(() => {
              this.#inFlight -= 1;
              pending.delete(op);
            });
          pending.add(op);
        }
      }
      if (elapsed >= nextTick && ticking === undefined) {
        const at = nextTick;
        nextTick += tickSeconds;
        ticking = onTick(at).finally(() => (ticking = undefined));
      }
      if (elapsed >= seconds) break;
      await sleep(1);
    }
    await Promise.all(pending);
    await ticking;
    return { elapsedSeconds: Number(process.hrtime.bigint() - start) / 1e9, dropped, sent };
  }

  close(): void {
    this.#serviceAgent.destroy();
    this.#browserAgent.destroy();
    this.#adminAgent.destroy();
  }
}

function clientSpec(name: string, revision: string) {
  return serviceClientSpec(`soak-secret-${name}-0123456789abcdef0123456789`, `Soak ${name} (${revision})`);
}
