/**
 * How long past its expiry a cached tenant, client or signing-key ring is still served while
 * PostgreSQL is unreachable (docs/reliability.md): tokens keep flowing through a database restart
 * or failover. Only expiry is bridged: an entry that was invalidated (a client disabled, a secret
 * rotated, a key revoked) is gone from the cache and never served stale.
 */
export const STALE_IF_UNAVAILABLE_MS = 5 * 60_000;
