import { InvalidRequest, RequestNotSupported, RequestUriNotSupported, UnauthorizedClient, UnsupportedResponseType } from '@lanyard/errors';
import type { AuthorizeStep } from './authorize-context.js';

const MAX_STATE = 2_048;
const MAX_NONCE = 512;

/**
 * Rules (errors from here on are redirected to the verified redirect URI):
 * - `response_type` must be `code`: OAuth 2.1 removed the implicit and hybrid flows;
 * - `response_mode`, if present, must be `query` (the only mode we serve);
 * - the client must be registered for `authorization_code` (`unauthorized_client`);
 * - request objects are not supported (OIDC Core §6: `request_not_supported`, `request_uri_not_supported`);
 * - `state` and `nonce` are bounded so they cannot bloat redirects and stored rows.
 */
export const checkRequestShape: AuthorizeStep = (ctx) => {
  const { params } = ctx;
  ctx.result.state = params.get('state') ?? null;
  if ((ctx.result.state?.length ?? 0) > MAX_STATE) {
    ctx.result.state = null;
    throw new InvalidRequest(`state must be at most ${MAX_STATE} characters.`);
  }
  if (params.get('request') !== undefined) throw new RequestNotSupported();
  if (params.get('request_uri') !== undefined) throw new RequestUriNotSupported();
  const responseType = params.get('response_type');
  if (responseType === undefined) throw new InvalidRequest('Missing required parameter: response_type.');
  if (responseType !== 'code') throw new UnsupportedResponseType('Only response_type=code is supported (OAuth 2.1).');
  const responseMode = params.get('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') throw new InvalidRequest('Only response_mode=query is supported.');
  if (!ctx.client!.grantTypes.includes('authorization_code')) throw new UnauthorizedClient('This client may not use the authorization code grant.');
  const nonce = params.get('nonce') ?? null;
  if (nonce !== null && nonce.length > MAX_NONCE) throw new InvalidRequest(`nonce must be at most ${MAX_NONCE} characters.`);
  ctx.result.nonce = nonce;
};
