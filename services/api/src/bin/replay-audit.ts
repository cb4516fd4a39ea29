// `replay-audit [file...]` (stdin without files): writes audit events kept for replay back into
// DATABASE_URL's audit_events. Reads JSON lines: spool files (one row per line), or API log lines
// whose `auditReplay` field holds a row, e.g. exported from Loki with
// `{app="lanyard-api"} |= "auditReplay"`. Events already in the table are skipped, so running it
// twice, or on overlapping exports, stores each event once.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { coreShape, loadConfigOrExit, secretNames } from '@lanyard/config';
import { createDatabase } from '@lanyard/db';
import * as z from 'zod/mini';
import { parseAuditRow, type AuditRow } from '../domain/audit/audit-row.js';
import { AuditStore } from '../domain/audit/audit-store.js';

const CHUNK = 1_000;

const { DATABASE_URL } = loadConfigOrExit(z.object({ DATABASE_URL: coreShape.DATABASE_URL }), secretNames);

function rowOf(line: string): AuditRow | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const wrapped = typeof value === 'object' && value !== null && 'auditReplay' in value ? (value as { auditReplay: unknown }).auditReplay : value;
  return parseAuditRow(wrapped);
}

const handle = createDatabase({ url: DATABASE_URL, poolMax: 1, applicationName: 'lanyard-replay-audit' });
const store = new AuditStore(handle.pool);
const counts = { read: 0, inserted: 0, alreadyStored: 0, skipped: 0 };
const inputs = process.argv.length > 2 ? process.argv.slice(2).map((path) => createReadStream(path)) : [process.stdin];
try {
  let chunk: AuditRow[] = [];
  const write = async () => {
    const inserted = await store.insert(chunk);
    counts.inserted += inserted;
    counts.alreadyStored += chunk.length - inserted;
    chunk = [];
  };
  for (const input of inputs) {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      counts.read += 1;
      const row = rowOf(line);
      if (row === undefined) counts.skipped += 1;
      else chunk.push(row);
      if (chunk.length === CHUNK) await write();
    }
  }
  await write();
  console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'replay-audit', msg: 'audit events replayed', ...counts }));
} catch (error) {
  console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), service: 'replay-audit', msg: 'replay failed', err: { message: (error as Error).message }, ...counts }));
  process.exitCode = 1;
} finally {
  await handle.close();
}
