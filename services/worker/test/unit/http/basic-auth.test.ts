import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../src/http/basic-auth.js';

const app = Fastify();
app.addHook('onRequest', basicAuth('ops', 'pässwörd:with-colon', 'Test realm'));
app.get('/', async () => 'in');

const header = (credentials: string) => ({ authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` });

describe('basicAuth (RFC 7617)', () => {
  it('lets the right user and password through, splitting at the first colon and decoding UTF-8', async () => {
    const response = await app.inject({ url: '/', headers: header('ops:pässwörd:with-colon') });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('in');
  });

  it('accepts the scheme name in any case (RFC 7235 §2.1)', async () => {
    const token = Buffer.from('ops:pässwörd:with-colon').toString('base64');
    expect((await app.inject({ url: '/', headers: { authorization: `basic ${token}` } })).statusCode).toBe(200);
  });

  it.each([
    ['no header', {}],
    ['an empty password', header('ops:')],
    ['an empty user', header(':pässwörd:with-colon')],
    ['the password as user', header('pässwörd:with-colon')],
    ['garbage', { authorization: 'Basic !!!' }],
  ])('answers 401 with a challenge for %s', async (_case, headers) => {
    const response = await app.inject({ url: '/', headers });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="Test realm", charset="UTF-8"');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).not.toContain('in"');
  });
});
