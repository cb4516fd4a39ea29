import { spawnPinnedCommand } from './processes.js';
import { settings } from './settings.js';

/**
 * The busy mode's contention, fixed so runs compare: one process spinning flat out on the driver's
 * core (the core the process under test is not pinned to), where PostgreSQL, Redis and the load
 * generator also run. It stands for the other builds and tests that share a developer's machine
 * or a CI node. Runs `body` under it when BENCH_BUSY=1, plainly otherwise.
 */
export async function underMachineMode<T>(body: () => Promise<T>): Promise<T> {
  if (!settings.busy) return body();
  const hog = spawnPinnedCommand(settings.clientCpus, process.execPath, ['-e', 'for (;;) {}'], {});
  try {
    return await body();
  } finally {
    await hog.stop();
  }
}
