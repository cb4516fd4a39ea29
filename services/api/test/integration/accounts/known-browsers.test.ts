import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken, tokenHash } from '@lanyard/security';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient } from '../../support/admin-client.js';

/**
 * The new-browser rule against real PostgreSQL: a browser is "new" only when the user already had
 * another one; its row is written once, and a known browser's last sighting moves forward.
 */
describe('known browsers', () => {
  let api: TestApi;
  let users = 0;

  beforeAll(async () => {
    api = await startTestApi();
    await adminClient(api.app, await api.adminToken()).put('/tenants/acme', { displayName: 'Acme' });
  });
  afterAll(() => api.close());

  const freshUser = async (): Promise<string> => {
    users += 1;
    const admin = adminClient(api.app, await api.adminToken());
    return (await admin.post('/tenants/acme/users', { email: `browser-${users}@acme.example`, emailVerified: true })).json().id as string;
  };
  const rows = async (userId: string) =>
    (
      await api.database.query<{ browser_hash: Buffer; first_seen_at: Date; last_seen_at: Date }>(
        `select browser_hash, first_seen_at, last_seen_at from known_browsers where user_id = $1 order by first_seen_at, browser_hash`,
        [userId],
      )
    ).rows;
  const record = (userId: string, cookie: string) => api.ctx.knownBrowsers.recordSignIn(userId, cookie);

  it('the first browser is not new; a second one is; the first again is not', async () => {
    const userId = await freshUser();
    const [laptop, phone] = [randomToken(32), randomToken(32)];
    expect(await record(userId, laptop)).toEqual({ newBrowser: false });
    expect(await record(userId, laptop)).toEqual({ newBrowser: false });
    expect(await record(userId, phone)).toEqual({ newBrowser: true });
    expect(await record(userId, laptop)).toEqual({ newBrowser: false });
    expect(await record(userId, phone)).toEqual({ newBrowser: false });
    expect((await rows(userId)).map((r) => r.browser_hash.toString('hex')).sort()).toEqual([tokenHash(laptop), tokenHash(phone)].map((h) => h.toString('hex')).sort());
  });

  it('a known browser keeps its first sighting and moves its last one to now', async () => {
    const userId = await freshUser();
    const laptop = randomToken(32);
    await record(userId, laptop);
    const [before] = await rows(userId);
    api.time.advance(3_600_000);
    await record(userId, laptop);
    const [after] = await rows(userId);
    expect(after!.first_seen_at.getTime()).toBe(before!.first_seen_at.getTime());
    // The clock still runs between the two calls; an hour ahead, give or take the test's own time.
    expect(after!.last_seen_at.getTime() - before!.last_seen_at.getTime()).toBeGreaterThanOrEqual(3_600_000);
    expect(after!.last_seen_at.getTime() - before!.last_seen_at.getTime()).toBeLessThan(3_660_000);
  });

  it("another user's browsers do not count, and the same cookie is a different browser for each user", async () => {
    const [alice, bob] = [await freshUser(), await freshUser()];
    const shared = randomToken(32);
    await record(alice, randomToken(32));
    expect(await record(bob, shared)).toEqual({ newBrowser: false });
    expect(await record(alice, shared)).toEqual({ newBrowser: true });
    expect(await rows(bob)).toHaveLength(1);
    expect(await rows(alice)).toHaveLength(2);
  });

  it('racing sign-ins from one new browser write one row, and the one that wrote it calls it new', async () => {
    const userId = await freshUser();
    await record(userId, randomToken(32));
    const tablet = randomToken(32);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => record(userId, tablet)));
    // Each either found the row a racer had just committed (not new) or saw none and called it new;
    // at least the one that inserted it said new, and only one row exists.
    expect(outcomes.some((o) => o.newBrowser)).toBe(true);
    expect(await rows(userId)).toHaveLength(2);
  });
});
