import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Random bytes drawn 4 KiB at a time: one CSPRNG call per 256 ids instead of one per id. */
const pool = Buffer.alloc(4_096);
let offset = pool.length;

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then the version and 74
 * random bits. For rows appended in time order, like audit events: consecutive ids land at the
 * right edge of a B-tree index instead of at a random page of it, so an insert touches pages that
 * are already in memory however large the table has grown (a v4 id's unique index turns every
 * insert into a random page read once it outgrows shared_buffers). Ids of one millisecond are not
 * ordered among themselves (§6.2 leaves that optional), and none is guessable from another.
 */
export function timeOrderedUuid(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs) || epochMs < 0 || epochMs >= 2 ** 48) throw new RangeError(`timeOrderedUuid: ${epochMs} is not a 48-bit millisecond time`);
  if (offset + 10 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const random = pool.subarray(offset, (offset += 10));
  const time = epochMs.toString(16).padStart(12, '0');
  const version = HEX[0x70 | (random[0]! & 0x0f)]! + HEX[random[1]!]!;
  const variant = HEX[0x80 | (random[2]! & 0x3f)]! + HEX[random[3]!]!;
  let node = '';
  for (let i = 4; i < 10; i += 1) node += HEX[random[i]!]!;
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}-${variant}-${node}`;
}
