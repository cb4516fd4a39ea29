import { and, asc, eq, gt } from 'drizzle-orm';
import { tableRowSql, users, type Database, type Executor, type Tenant, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '@lanyard/errors';
import type { UserCreate, UserPatch } from '@lanyard/contracts';
import { accountPolicy } from '../accounts/account-policy.js';
import { checkPassword, PASSWORD_PROBLEM_MESSAGES } from '../accounts/password-policy.js';
import { keysetCursor } from '../paging/keyset-cursor.js';
import { revokeUserGrants } from '../tokens/revoke-user-grants.js';
import type { PasswordHasher } from './password-hasher.js';
import { isUniqueViolation } from './unique-violation.js';
import { isUuid } from '../uuid.js';

/** Mailbox names compare case-insensitively in practice; store one spelling so uniqueness holds. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const userRow = tableRowSql(users, 'u');
/**
 * Every sign-in, sign-up and emailed link looks a user up by address: one prepared statement,
 * parsed once per connection, rather than drizzle building the same 40-column select each time
 * (that building was a seventh of a login's main-thread time, docs/benchmarks.md).
 */
const BY_EMAIL = `select ${userRow.list} from users u where u.tenant_id = $1 and u.email = $2`;

/** The OIDC Core §5.1 claims the admin API may set, by their column names. */
const STANDARD_CLAIM_FIELDS = [
  'givenName',
  'familyName',
  'middleName',
  'nickname',
  'preferredUsername',
  'profile',
  'picture',
  'website',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phoneNumber',
  'phoneNumberVerified',
  'address',
] as const;

/** The standard claims present in a create or patch body (undefined = leave as is, null = clear). */
function standardClaims(input: Partial<Record<(typeof STANDARD_CLAIM_FIELDS)[number], unknown>>): Partial<User> {
  const values: Record<string, unknown> = {};
  for (const field of STANDARD_CLAIM_FIELDS) if (input[field] !== undefined) values[field] = input[field];
  return values as Partial<User>;
}

/** What sign-in and token endpoints need of users: look one up. */
export type UserLookup = Pick<UserService, 'findById' | 'findByEmail'>;

/** Users of a tenant: the admin API's view (creation, paging, updates that revoke grants when needed). */
export class UserService {
  constructor(
    private readonly db: Database,
    private readonly hasher: Pick<PasswordHasher, 'hash'>,
    private readonly clock: Clock,
  ) {}

  async create(tenant: Tenant, input: UserCreate): Promise<User> {
    if (input.password !== undefined) assertPasswordPolicy(tenant, input.password, input.email);
    // Hash before the transaction: a slow hash must not hold a connection or a lock.
    const passwordHash = input.password === undefined ? null : await this.hasher.hash(input.password);
    const now = this.clock();
    try {
      const [user] = await this.db
        .insert(users)
        .values({
          tenantId: tenant.id,
          email: normalizeEmail(input.email),
          emailVerified: input.emailVerified ?? false,
          name: input.name ?? null,
          ...standardClaims(input),
          passwordHash,
          passwordChangedAt: passwordHash === null ? null : now,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return user!;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictProblem(`A user with email "${normalizeEmail(input.email)}" already exists.`);
      throw error;
    }
  }

  async get(tenant: Tenant, id: string): Promise<User> {
    const [user] = await this.db.select().from(users).where(and(eq(users.tenantId, tenant.id), eq(users.id, id)));
    if (user === undefined) throw new NotFoundProblem(`User "${id}" does not exist in tenant "${tenant.name}".`);
    return user;
  }

  /** The user, or undefined; an id that is not a UUID cannot name one and is answered without a query. */
  async findById(tenantId: string, id: string, executor: Executor = this.db): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    const [user] = await executor.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, id)));
    return user;
  }

  async findByEmail(tenantId: string, email: string): Promise<User | undefined> {
    const result = await this.db.$client.query<Record<string, unknown>>({ name: 'lanyard_user_by_email', text: BY_EMAIL, values: [tenantId, normalizeEmail(email)] });
    const [row] = result.rows;
    return row === undefined ? undefined : userRow.decode(row);
  }

  /** Keyset pagination on the id: stable under concurrent inserts and deletes, no OFFSET scans. */
  async list(tenant: Tenant, query: { limit: number; cursor?: string; email?: string }): Promise<{ items: User[]; nextCursor: string | null }> {
    const conditions = [eq(users.tenantId, tenant.id)];
    if (query.email !== undefined) conditions.push(eq(users.email, normalizeEmail(query.email)));
    if (query.cursor !== undefined) conditions.push(gt(users.id, decodeCursor(query.cursor)));
    const rows = await this.db
      .select()
      .from(users)
      .where(and(...conditions))
      .orderBy(asc(users.id))
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor = rows.length > query.limit && last !== undefined ? Buffer.from(last.id).toString('base64url') : null;
    return { items, nextCursor };
  }

  /**
   * Partial update. A new password or disabling the account revokes the user's sessions and refresh
   * tokens in the same transaction, so there is no window where the old credentials still work.
   */
  async patch(tenant: Tenant, id: string, patch: UserPatch): Promise<User> {
    if (patch.password !== undefined) assertPasswordPolicy(tenant, patch.password, patch.email);
    const passwordHash = patch.password === undefined ? undefined : await this.hasher.hash(patch.password);
    try {
      return await this.db.transaction(async (tx) => {
        const [existing] = await tx.select().from(users).where(and(eq(users.tenantId, tenant.id), eq(users.id, id))).for('update');
        if (existing === undefined) throw new NotFoundProblem(`User "${id}" does not exist in tenant "${tenant.name}".`);
        const now = this.clock();
        const [user] = await tx
          .update(users)
          .set({
            ...(patch.email === undefined ? {} : { email: normalizeEmail(patch.email) }),
            ...(patch.emailVerified === undefined ? {} : { emailVerified: patch.emailVerified }),
            ...(patch.name === undefined ? {} : { name: patch.name }),
            ...standardClaims(patch),
            ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }),
            ...(passwordHash === undefined ? {} : { passwordHash, passwordChangedAt: now }),
            updatedAt: now,
          })
          .where(eq(users.id, id))
          .returning();
        if (passwordHash !== undefined) await revokeUserGrants(tx, id, 'password_changed', now);
        else if (patch.disabled === true && !existing.disabled) await revokeUserGrants(tx, id, 'user_disabled', now);
        return user!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictProblem(`A user with email "${normalizeEmail(patch.email ?? '')}" already exists.`);
      throw error;
    }
  }

  /** Stores a rehash of the same password (stronger parameters); revokes nothing. */
  async replacePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, id));
  }

  async delete(tenant: Tenant, id: string): Promise<void> {
    const deleted = await this.db.delete(users).where(and(eq(users.tenantId, tenant.id), eq(users.id, id))).returning({ id: users.id });
    if (deleted.length === 0) throw new NotFoundProblem(`User "${id}" does not exist in tenant "${tenant.name}".`);
  }
}

/** The cursor is opaque to callers; inside it is the last id of the previous page. */
function decodeCursor(raw: string): string {
  return keysetCursor.decode(raw, (id) => isUuid(id));
}

/** The tenant's password policy holds for passwords an admin sets too (docs/reference/accounts.md). */
function assertPasswordPolicy(tenant: Tenant, password: string, email: string | undefined): void {
  const { passwordMinLength } = accountPolicy(tenant);
  const problem = checkPassword(password, { minLength: passwordMinLength, ...(email === undefined ? {} : { email: normalizeEmail(email) }) });
  if (problem === undefined) return;
  const reason = PASSWORD_PROBLEM_MESSAGES[problem](passwordMinLength);
  throw new ValidationProblem(`body/password: ${reason}`, [{ name: 'body/password', reason }]);
}
