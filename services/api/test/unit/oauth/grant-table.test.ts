import { describe, expect, it } from 'vitest';
import { InvalidClient, InvalidGrant, InvalidTarget, ServerError, SlowDown, UnauthorizedClient } from '@lanyard/errors';
import { CodeReplayed } from '../../../src/domain/grants/code-replayed.js';
import { RefreshRejected } from '../../../src/domain/tokens/refresh-rejected.js';
import { GRANT_TABLE, lookupGrant } from '../../../src/oauth/token/grant-table.js';
import { tokenFailureReason } from '../../../src/oauth/token/token-failure-reason.js';

describe('the token endpoint grant table', () => {
  it('serves exactly the OAuth 2.1 grants, client_credentials for confidential clients only', () => {
    expect(Object.keys(GRANT_TABLE).sort()).toEqual(['authorization_code', 'client_credentials', 'refresh_token']);
    expect(GRANT_TABLE.client_credentials!.clientTypes).toEqual(['confidential']);
    expect(GRANT_TABLE.refresh_token!.auditEvent).toBe('refresh');
    expect(GRANT_TABLE.authorization_code!.auditEvent).toBe('token');
  });

  it.each(['password', 'implicit', 'constructor', 'toString', '__proto__', 'hasOwnProperty', '', undefined])('has no row for %j', (name) => {
    expect(lookupGrant(name)).toBeUndefined();
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(GRANT_TABLE)).toBe(true);
  });
});

describe('tokenFailureReason (audit reasons are a closed set)', () => {
  it.each([
    [new CodeReplayed(), 'code_replay'],
    [new RefreshRejected('reuse'), 'token_reuse'],
    [new RefreshRejected('expired'), 'invalid_grant'],
    [new InvalidGrant('x'), 'invalid_grant'],
    [new InvalidClient(), 'invalid_client'],
    [new UnauthorizedClient('x'), 'unauthorized_client'],
    [new InvalidTarget('x'), 'invalid_request'],
    [new SlowDown('x'), 'rate_limited'],
    [new ServerError(), 'server_error'],
    [new Error('boom'), 'server_error'],
    [{ auditReason: 'token_reuse' }, 'server_error'], // a look-alike object is not trusted
  ])('%o → %s', (error, reason) => {
    expect(tokenFailureReason(error)).toBe(reason);
  });
});
