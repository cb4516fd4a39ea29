import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { ApiConfig } from '@lanyard/config';
import type { AppContext } from '../../context.js';
import type { RegisteredClient } from '../../domain/clients/client-service.js';
import type { OAuthParams } from '../read-form.js';
import type { ClientAuthMethod } from './authenticate-client.js';

/** What every grant handler receives: the authenticated client and the parsed request. */
export interface TokenContext {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: RegisteredClient;
  readonly authMethod: ClientAuthMethod;
  readonly params: OAuthParams;
  readonly services: AppContext;
  readonly config: Readonly<ApiConfig>;
}

/** RFC 6749 §5.1 success body, plus anything the grant needs to set on the response (cookies). */
export interface TokenResponse {
  readonly body: Record<string, string | number>;
  /** The subject, for the audit trail; absent for client_credentials. */
  readonly userId?: string;
}
