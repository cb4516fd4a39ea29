import type { TestDatabase } from '@lanyard/testing';

/** Ids of a tenant with one client and one user, the parents every grant row needs. */
export interface SeededTenant {
  readonly tenantId: string;
  readonly clientRef: string;
  readonly userId: string;
}

/** Inserts a tenant, a public client and a user with plain SQL. */
export async function seedTenant(database: TestDatabase, name: string): Promise<SeededTenant> {
  const tenant = await database.query<{ id: string }>(`insert into tenants (name, display_name) values ($1, $1) returning id`, [name]);
  const tenantId = tenant.rows[0]!.id;
  const client = await database.query<{ id: string }>(
    `insert into clients (tenant_id, client_id, type, grant_types) values ($1, 'web', 'public', '{authorization_code,refresh_token}') returning id`,
    [tenantId],
  );
  const user = await database.query<{ id: string }>(`insert into users (tenant_id, email) values ($1, 'user@' || $2 || '.example') returning id`, [tenantId, name]);
  return { tenantId, clientRef: client.rows[0]!.id, userId: user.rows[0]!.id };
}
