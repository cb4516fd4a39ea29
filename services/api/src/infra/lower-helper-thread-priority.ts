import { readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';

export type HelperThreadPriority = { readonly threads: number; readonly niceness: number } | { readonly unsupported: string };

/**
 * Gives request handling the CPU first. Every thread of this process except the main one gets at
 * least `niceness`: libuv's pool, where Argon2id spends ~25 ms of CPU per password, and V8's helpers.
 * On a busy core a burst of logins then waits for the main thread instead of the other way round,
 * so token requests keep their latency while logins run (docs/reference/performance-budget.md);
 * when the core is idle nothing changes.
 *
 * Linux only: setpriority(2) on a thread id changes that thread alone (NPTL), and raising one's own
 * niceness needs no privilege. libuv starts its whole pool on first use, so one pool call first makes
 * sure every pool thread exists. Threads created later inherit the main thread's niceness.
 */
export async function lowerHelperThreadPriority(niceness: number): Promise<HelperThreadPriority> {
  if (process.platform !== 'linux') return { unsupported: `${process.platform} has no per-thread niceness` };
  await stat('/proc/self/task');
  // On Linux the main thread's id is the process id.
  const helpers = readdirSync('/proc/self/task').map(Number).filter((tid) => tid !== process.pid);
  let threads = 0;
  for (const tid of helpers) {
    try {
      // Only ever lower a thread's priority: one started nicer than asked keeps its niceness.
      if (getPriority(tid) < niceness) setPriority(tid, niceness);
      threads += 1;
    } catch (error) {
      // A helper that ended between the listing and now: nothing to lower.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  return { threads, niceness };
}
