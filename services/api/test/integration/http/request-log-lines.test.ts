import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';

/** docs/reference/logs.md: every line logged for a request carries its `reqId`, echoed as `x-request-id`. */
describe('request log lines', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  const linesOf = (reqId: string) => api.logs.filter((line) => line.reqId === reqId);

  it("keep a sane caller's x-request-id, on the completed line and in the response header", async () => {
    const response = await api.app.inject({ url: '/tenants/system/.well-known/openid-configuration', headers: { 'x-request-id': 'trace-42.a_b' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toBe('trace-42.a_b');
    expect(linesOf('trace-42.a_b')).toEqual([
      expect.objectContaining({ level: 'info', service: 'api', msg: 'request completed', method: 'GET', statusCode: 200, route: '/tenants/:tenant/.well-known/openid-configuration' }),
    ]);
  });

  it('carry the id on a rejection line too, with the request context fields', async () => {
    const response = await api.app.inject({ url: '/tenants/no-such-tenant/.well-known/openid-configuration', headers: { 'x-request-id': 'trace-43' } });
    expect(response.statusCode).toBe(404);
    const lines = linesOf('trace-43');
    expect(lines.map((line) => line.msg)).toEqual(['request rejected', 'request completed']);
    expect(lines[0]).toMatchObject({ status: 404 });
  });

  it('mint a UUID for a hostile x-request-id, never echoing it', async () => {
    for (const hostile of ['a b', 'x'.repeat(65), 'id\u0000nul', 'ïd', '{"reqId":"forged"}']) {
      const response = await api.app.inject({ url: '/healthz', headers: { 'x-request-id': hostile } });
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(api.logs.some((line) => line.reqId === 'forged')).toBe(false);
  });
});
