import { describe, expect, it } from 'vitest';
import { rateLimitHeaders } from '../../../src/http/rate-limit-headers.js';

const decision = (name: string, limit: number, retryAfterSeconds: number) => ({
  policy: { name, limit, windowSeconds: 60 },
  allowed: false,
  retryAfterSeconds,
  remaining: 0,
  resetSeconds: 30,
  degraded: false,
});

describe('rateLimitHeaders (RFC 9110 Retry-After, draft-ietf-httpapi-ratelimit-headers)', () => {
  it('describes the refusing limit with the longest wait', () => {
    expect(rateLimitHeaders([decision('login-burst', 3, 12), decision('login-lockout', 10, 840)])).toEqual({
      'retry-after': '840',
      'ratelimit-policy': '"login-lockout";q=10;w=60',
      ratelimit: '"login-lockout";r=0;t=840',
    });
  });

  it('sends nothing when nothing refused', () => expect(rateLimitHeaders([])).toEqual({}));
});
