import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { ClientLookup, RegisteredClient } from '../../domain/clients/client-service.js';
import type { OAuthParams } from '../read-form.js';
import type { AuthorizationRequest } from './authorization-request.js';

/** State threaded through the authorization pipeline; each step fills in what it checked. */
export interface AuthorizeContext {
  /** The one service a step may use: the client registry (steps are otherwise pure checks). */
  readonly clients: ClientLookup;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly params: OAuthParams;
  client?: RegisteredClient;
  redirectUri?: string;
  result: { -readonly [K in keyof AuthorizationRequest]?: AuthorizationRequest[K] };
}

/** One step of the pipeline: throws the OAuth error for the rule it enforces. */
export type AuthorizeStep = (ctx: AuthorizeContext) => void | Promise<void>;
