import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { RegisteredClient } from '../../domain/clients/client-service.js';
import type { OAuthParams } from '../read-form.js';
import type { ClientAuthMethod } from './authenticate-client.js';

/** A token request once the endpoint has authenticated the client and picked the grant. */
export interface GrantRequest {
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: RegisteredClient;
  readonly authMethod: ClientAuthMethod;
  readonly params: OAuthParams;
}

/** RFC 6749 §5.1 success body. */
export type TokenResponseBody = Readonly<Record<string, string | number>>;

/** What a grant answers: the body, and for the audit trail the user it was issued for. */
export interface TokenResult {
  readonly body: TokenResponseBody;
  /** The subject, for the audit trail; absent for client_credentials. */
  readonly userId?: string;
}

/** One grant type's handler; `deps` is typed on exactly the services that grant uses. */
export type GrantHandler<D> = (grant: GrantRequest, deps: D) => Promise<TokenResult>;
