import { lt, or, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { authorizationCodes, knownBrowsers, refreshTokenFamilies, refreshTokens, sessions, userActionTokens, type Database } from '@lanyard/db';
import { deleteInBatches, type BatchLimits } from './delete-in-batches.js';

/** Rows deleted per table by one cleanup run. */
export interface CleanupCounts {
  /** Families deleted; their refresh tokens go with them (ON DELETE CASCADE) and are not counted below. */
  readonly refreshTokenFamilies: number;
  readonly refreshTokens: number;
  readonly authorizationCodes: number;
  readonly sessions: number;
  readonly userActionTokens: number;
  readonly knownBrowsers: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A consumed code stays this long past its expiry: a replay of it must still find the row to revoke
 * what the first redemption issued (RFC 6749 §4.1.2, RFC 9700 §4.5).
 */
const CODE_REPLAY_WINDOW_MS = 10 * MINUTE;
/** Revoked sessions and families stay a day, so support can still see why a user was logged out. */
const REVOKED_RETENTION_MS = DAY;

/**
 * Used and expired one-time tokens stay a day, so a link clicked again says "already used" or
 * "expired" rather than "not valid".
 */
const SPENT_LINK_RETENTION_MS = DAY;
/** A browser unseen for longer than its device cookie lives (400 days) can never be recognised again. */
const KNOWN_BROWSER_RETENTION_MS = 400 * DAY;

/** 5 000 rows per statement, at most a million per table and run. */
export const DEFAULT_BATCH_LIMITS: BatchLimits = { batchSize: 5_000, maxBatches: 200 };

/**
 * The purge rules, one per table. Families go first so their tokens leave by cascade instead of
 * one batch at a time.
 */
function purgeRules(now: Date): ReadonlyArray<{ key: keyof CleanupCounts; table: PgTable; where: SQL }> {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  return [
    {
      key: 'refreshTokenFamilies',
      table: refreshTokenFamilies,
      where: or(lt(refreshTokenFamilies.absoluteExpiresAt, now), lt(refreshTokenFamilies.revokedAt, ago(REVOKED_RETENTION_MS)))!,
    },
    { key: 'refreshTokens', table: refreshTokens, where: lt(refreshTokens.expiresAt, now) },
    { key: 'authorizationCodes', table: authorizationCodes, where: lt(authorizationCodes.expiresAt, ago(CODE_REPLAY_WINDOW_MS)) },
    {
      key: 'sessions',
      table: sessions,
      where: or(lt(sessions.expiresAt, now), lt(sessions.revokedAt, ago(REVOKED_RETENTION_MS)))!,
    },
    {
      key: 'userActionTokens',
      table: userActionTokens,
      where: or(lt(userActionTokens.usedAt, ago(SPENT_LINK_RETENTION_MS)), lt(userActionTokens.expiresAt, ago(SPENT_LINK_RETENTION_MS)))!,
    },
    { key: 'knownBrowsers', table: knownBrowsers, where: lt(knownBrowsers.lastSeenAt, ago(KNOWN_BROWSER_RETENTION_MS)) },
  ];
}

/**
 * Deletes what can never be used again: authorization codes expired more than ten minutes ago,
 * expired refresh tokens, refresh-token families past their absolute expiry or revoked over a day
 * ago, sessions expired or revoked over a day ago, one-time tokens used or expired over a day ago,
 * and browsers not seen for 400 days.
 */
export async function cleanupExpiredRows(db: Database, now: Date, limits: BatchLimits = DEFAULT_BATCH_LIMITS): Promise<CleanupCounts> {
  const counts: Record<keyof CleanupCounts, number> = {
    refreshTokenFamilies: 0,
    refreshTokens: 0,
    authorizationCodes: 0,
    sessions: 0,
    userActionTokens: 0,
    knownBrowsers: 0,
  };
  for (const rule of purgeRules(now)) {
    counts[rule.key] = await deleteInBatches(db, rule.table, rule.where, limits);
  }
  return counts;
}
