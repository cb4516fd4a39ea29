import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../src/schema/users.js';
import { tableRowSql } from '../../src/table-row-sql.js';

describe('tableRowSql', () => {
  it('lists every column under the alias and prefix, and decodes driver values through the schema', () => {
    const row = tableRowSql(users, 'u');
    expect(row.list).toContain('u."password_hash" as "u_passwordHash"');
    expect(row.list.split(', ')).toHaveLength(Object.keys(getTableColumns(users)).length);
    const decoded = row.decode({ u_id: 'id-1', u_email: 'a@example.test', u_updatedAt: '2026-12-04 03:59:15.123+00', u_address: null });
    expect(decoded.updatedAt).toEqual(new Date('2026-12-04T03:59:15.123Z'));
    expect(decoded.address).toBeNull();
    // A column the result row lacks is null, as a nullable select would give, never undefined.
    expect(decoded.passwordHash).toBeNull();
  });

  it('narrows to the named columns: the list and the decoded row hold nothing else', () => {
    const row = tableRowSql(users, 'u', { only: ['id', 'updatedAt'] });
    expect(row.list).toBe('u."id" as "u_id", u."updated_at" as "u_updatedAt"');
    const decoded = row.decode({ u_id: 'id-1', u_updatedAt: '2026-12-04 03:59:15+00', u_passwordHash: '$argon2id$…' });
    expect(decoded).toEqual({ id: 'id-1', updatedAt: new Date('2026-12-04T03:59:15Z') });
  });

  it('takes another prefix, and refuses a column the table does not have', () => {
    expect(tableRowSql(users, 'x', { prefix: 'who_', only: ['email'] }).list).toBe('x."email" as "who_email"');
    expect(() => tableRowSql(users, 'u', { only: ['id', 'nope' as 'id'] })).toThrow(/unknown column/);
  });

  it('reselects the listed columns from a relation that holds them, under the same output names', () => {
    const row = tableRowSql(users, 'u', { only: ['id', 'updatedAt'] });
    expect(row.reselect('live')).toBe('live."u_id", live."u_updatedAt"');
  });
});
