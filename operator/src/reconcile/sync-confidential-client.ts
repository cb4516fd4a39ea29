import type { ClientResource } from '@lanyard/contracts';
import type { IdentityTenant, IdentityTenantClient } from '@lanyard/crd';
import type { Logger } from '@lanyard/logger';
import type { ClientSyncAction } from '../generators/client-sync-action.js';
import type { ClientSyncState } from '../generators/client-sync-state.js';
import { effectiveClientId } from '../generators/effective-client-id.js';
import { nextClientSyncAction } from '../generators/next-client-sync-action.js';
import type { ClientOutcome } from './client-outcome.js';
import type { ReconcileContext } from './reconcile-context.js';

/**
 * Most actions one sync can take besides removing registrations (each removal shrinks a finite
 * list, so those end by themselves). A long path — a client of the wrong type, an edited
 * CLIENT_SECRET, then a due rotation — takes about a dozen (generate, store, read, delete, create,
 * register, record, generate, stage, register, promote); twice that means the decisions loop,
 * which is a bug.
 */
export const MAX_CLIENT_SYNC_ACTIONS = 24;

type Step = Exclude<ClientSyncAction, { kind: 'conflict' | 'done' }>;

/**
 * A confidential client and its Secret (ADR 0002), as a loop around the pure decision
 * `nextClientSyncAction` (generators/next-client-sync-action.ts, where the rules are): observe the
 * Secret, then repeatedly decide, perform that one action and fold its result into the observation,
 * until the decision is `conflict` or `done`. The loop holds no rule of its own, so what is written
 * and in which order is exactly what the unit-tested decision says.
 */
export async function syncConfidentialClient(ctx: ReconcileContext, tenant: IdentityTenant, client: IdentityTenantClient, issuer: string): Promise<ClientOutcome> {
  const namespace = tenant.spec.namespace;
  const secretName = client.secret!.name;
  const clientId = effectiveClientId(tenant.metadata.name, client);
  const log = ctx.log.child({ tenant: tenant.metadata.name, clientId });

  let state: ClientSyncState = {
    target: { tenant, client, clientId, namespace, secretName, issuer },
    settings: ctx.settings,
    now: ctx.now(),
    secret: await ctx.kube.getSecret(namespace, secretName),
    client: { state: 'unread' },
    progress: { clientApplied: false, rotationStaged: false },
  };
  const performed: string[] = [];
  let counted = 0;
  for (;;) {
    const action = nextClientSyncAction(state);
    if (action.kind === 'conflict') {
      return { status: { name: client.name, clientId, ready: false, secretName }, problem: { part: 'SecretsReady', reason: 'SecretConflict', message: action.message } };
    }
    if (action.kind === 'done') return { status: action.status, ...(action.wakeAt === undefined ? {} : { wakeAt: action.wakeAt }) };
    const removal = action.kind === 'makeRoom' || action.kind === 'removeStaleSecret';
    if (!removal && counted === MAX_CLIENT_SYNC_ACTIONS) {
      throw new Error(`bug: the sync of client ${clientId} did not settle after ${MAX_CLIENT_SYNC_ACTIONS} actions (next: ${action.kind}; last: ${performed.slice(-8).join(', ')})`);
    }
    if (!removal) counted += 1;
    performed.push(action.kind);
    state = await perform(ctx, log, state, action);
  }
}

/** Performs one action (one call) and returns the state as that call's result shows it. */
async function perform(ctx: ReconcileContext, log: Logger, state: ClientSyncState, action: Step): Promise<ClientSyncState> {
  const { tenant, clientId, namespace, secretName } = state.target;
  const tenantName = tenant.metadata.name;
  const { generated: _consumed, ...progressWithoutGenerated } = state.progress;
  const withClient = (resource: ClientResource, patch: Partial<ClientSyncState['progress']> = {}): ClientSyncState => ({
    ...state,
    client: { state: 'present', resource },
    progress: { ...state.progress, ...patch },
  });
  const registered = (): ClientResource => {
    if (state.client.state !== 'present') throw new Error(`bug: client sync action ${action.kind} while the client is ${state.client.state}`);
    return state.client.resource;
  };

  switch (action.kind) {
    case 'generateSecret':
      return { ...state, progress: { ...state.progress, generated: ctx.generateSecret() } };
    case 'storeNewSecret':
      log.info({ secret: `${namespace}/${secretName}`, reason: action.reason }, 'storing a new client secret');
      return { ...state, secret: await ctx.kube.apply(action.manifest), progress: progressWithoutGenerated };
    case 'readClient': {
      const resource = await ctx.identity.getClient(tenantName, clientId);
      return { ...state, client: resource === undefined ? { state: 'absent' } : { state: 'present', resource } };
    }
    case 'deleteClientOfWrongType':
      // The type is immutable in the API (409); a client recreated by hand with the other type is drift.
      log.info({ actualType: action.actualType }, 'deleting client of the wrong type');
      await ctx.identity.deleteClient(tenantName, clientId);
      return { ...state, client: { state: 'absent' } };
    case 'createClient':
      log.info({}, 'creating client');
      return withClient(await ctx.identity.putClient(tenantName, clientId, action.spec), { clientApplied: true });
    case 'applyClientDrift':
      log.info({ drift: action.drift }, 'applying client');
      return withClient(await ctx.identity.putClient(tenantName, clientId, action.spec), { clientApplied: true });
    case 'makeRoom': {
      log.info({ secretId: action.removeSecretId }, 'removing the oldest client secret to make room');
      const resource = registered();
      await ctx.identity.removeClientSecret(tenantName, clientId, action.removeSecretId);
      return withClient({ ...resource, secrets: resource.secrets.filter((s) => s.id !== action.removeSecretId) });
    }
    case 'registerSecret': {
      const resource = registered();
      const info = await ctx.identity.addClientSecret(tenantName, clientId, { secret: action.value });
      return withClient({ ...resource, secrets: [...resource.secrets.filter((s) => s.id !== info.id), info] }, { registration: { value: action.value, id: info.id } });
    }
    case 'promotePending': {
      const secret = await ctx.kube.apply(action.manifest);
      log.info({ secretId: action.secretId, ...(action.previousId === undefined ? {} : { previousId: action.previousId }) }, 'rotated client secret');
      return { ...state, secret };
    }
    case 'recordRegisteredId': {
      const secret = await ctx.kube.apply(action.manifest);
      log.info({ secretId: action.secretId }, 'registered client secret');
      return { ...state, secret };
    }
    case 'stageRotation':
      log.info({ reason: action.reason }, 'staging the next client secret');
      return { ...state, secret: await ctx.kube.apply(action.manifest), progress: { ...progressWithoutGenerated, rotationStaged: true } };
    case 'restoreSecretFields':
      log.info({ secret: `${namespace}/${secretName}` }, 'restoring edited Secret fields');
      return { ...state, secret: await ctx.kube.apply(action.manifest) };
    case 'removeStaleSecret': {
      log.info({ secretId: action.secretId }, 'removing superseded client secret');
      const resource = registered();
      await ctx.identity.removeClientSecret(tenantName, clientId, action.secretId);
      return withClient({ ...resource, secrets: resource.secrets.filter((s) => s.id !== action.secretId) });
    }
    default: {
      const unknown: never = action;
      throw new Error(`bug: unknown client sync action ${JSON.stringify(unknown)}`);
    }
  }
}
