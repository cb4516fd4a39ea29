import { setTimeout as sleep } from 'node:timers/promises';
import { basicAuth, CLIENT_CREDENTIALS_BODY, SERVICE_CLIENT, WEB_CLIENT } from './lanyard.js';
import { benchSecrets } from './settings.js';

const CLIENT_TIMEOUT_MS = 10_000;

export type RequestKind = 'client_credentials' | 'refresh' | 'email';

/** One answer (or failure to get one) as the load saw it. */
export interface Outcome {
  readonly kind: RequestKind;
  /** Milliseconds since the load started, when the request was sent. */
  readonly at: number;
  readonly latencyMs: number;
  /** The HTTP status, or 0 when no response came (refused, reset). */
  readonly status: number;
  readonly error?: string;
}

export interface LoadTargets {
  /** Base URL of the API (stable across its restarts). */
  readonly baseUrl: () => string;
  /** A fresh admin token (the suite mints one per phase). */
  readonly adminToken: () => string;
  /** Refresh tokens to rotate, one chain each. */
  readonly refreshTokens: string[];
  /** Users without a verified address: each `verification-email` mails one message. */
  readonly unverifiedUserIds: readonly string[];
}

export interface RunningLoad {
  readonly outcomes: Outcome[];
  /** Milliseconds since the load started. */
  now(): number;
  /** The refresh token each chain holds now (the last successor it received). */
  readonly chains: readonly string[];
  /** Chains whose token was refused (`invalid_grant`): lost families. */
  readonly lostChains: number;
  /** `verification-email` requests that were accepted (202): messages the worker owes. */
  readonly emailsAccepted: number;
  /** Stops sending new requests (in-flight ones finish), as a Service stops routing to a pod that is not ready. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * A bounded closed-loop load, as a real fleet of clients would send it: `concurrency` loops of
 * client_credentials, `refreshTokens.length` refresh chains that each keep the last token they were
 * given (and try it again after a failure, as a client does), and a steady trickle of admin
 * requests that each mail one message. Every request has a 10 s client timeout, longer than any of
 * the API's own bounds, so what is measured is the API's answer.
 */
export function startFaultLoad(targets: LoadTargets, concurrency = 16): RunningLoad {
  const started = performance.now();
  const now = () => performance.now() - started;
  const outcomes: Outcome[] = [];
  const chains = [...targets.refreshTokens];
  let running = true;
  let paused = false;
  let lostChains = 0;
  let emailsAccepted = 0;

  const send = async (kind: RequestKind, path: string, init: RequestInit): Promise<Response | undefined> => {
    while (paused && running) await sleep(20);
    const at = now();
    try {
      const response = await fetch(`${targets.baseUrl()}${path}`, { ...init, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
      await response.clone().arrayBuffer();
      outcomes.push({ kind, at, latencyMs: now() - at, status: response.status });
      return response;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      outcomes.push({ kind, at, latencyMs: now() - at, status: 0, error: cause });
      await sleep(20);
      return undefined;
    }
  };

  const tokenLoop = async () => {
    while (running) {
      await send('client_credentials', '/tenants/bench/oauth2/token', { method: 'POST', headers: { ...form, authorization: basicAuth(SERVICE_CLIENT, benchSecrets.serviceSecret) }, body: CLIENT_CREDENTIALS_BODY });
    }
  };

  const refreshLoop = async (chain: number) => {
    while (running && chains[chain] !== '') {
      const response = await send('refresh', '/tenants/bench/oauth2/token', {
        method: 'POST',
        headers: { ...form, authorization: basicAuth(WEB_CLIENT, benchSecrets.webSecret) },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: chains[chain]! }).toString(),
      });
      if (response?.status === 200) chains[chain] = ((await response.json()) as { refresh_token: string }).refresh_token;
      else if (response?.status === 400 && ((await response.json()) as { error: string }).error === 'invalid_grant') {
        chains[chain] = '';
        lostChains += 1;
      }
      await sleep(100);
    }
  };

  const emailLoop = async () => {
    for (let i = 0; running; i += 1) {
      const userId = targets.unverifiedUserIds[i % targets.unverifiedUserIds.length]!;
      const response = await send('email', `/admin/v1/tenants/bench/users/${userId}/verification-email`, { method: 'POST', headers: { authorization: `Bearer ${targets.adminToken()}` } });
      if (response?.status === 202) emailsAccepted += 1;
      await sleep(250);
    }
  };

  const loops = [...Array.from({ length: concurrency }, () => tokenLoop()), ...chains.map((_, chain) => refreshLoop(chain)), emailLoop()];
  return {
    outcomes,
    now,
    chains,
    get lostChains() {
      return lostChains;
    },
    get emailsAccepted() {
      return emailsAccepted;
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
