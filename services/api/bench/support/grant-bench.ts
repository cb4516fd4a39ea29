import { benchDatabase } from './bench-database.js';
import { underMachineMode } from './busy-hog.js';
import { keycloakPeer, type KeycloakPeer } from './keycloak.js';
import { totalCpuMicros, type LoadFigures } from './load.js';
import { pinSelf } from './processes.js';
import { printConditions, ratio } from './report.js';
import { settings } from './settings.js';

/** What a grant bench gets: its bench database and Keycloak (which may be missing). */
export interface GrantBenchContext {
  readonly databaseUrl: string;
  readonly keycloak: KeycloakPeer;
}

/**
 * The frame of the grant benches (client_credentials, refresh): the driver pinned off the server's
 * core, the title and conditions printed, a bench database and Keycloak set up and released
 * whatever happens, and the whole run under the machine mode (quiet, or busy with its CPU hog).
 */
export function runGrantBench(title: string, body: (context: GrantBenchContext) => Promise<void>): Promise<void> {
  return underMachineMode(async () => {
    pinSelf(settings.clientCpus);
    console.log(title);
    printConditions({ connections: settings.connections });
    const database = await benchDatabase();
    try {
      const keycloak = await keycloakPeer();
      try {
        await body({ databaseUrl: database.url, keycloak });
      } finally {
        await keycloak.release();
      }
    } finally {
      await database.release();
    }
  });
}

/** The Keycloak columns of a grant bench's results: its run, why it is missing, and Lanyard's ratios to it. */
export function keycloakComparison<T extends { readonly load: LoadFigures }>(lanyard: T, keycloak: T | undefined, peer: KeycloakPeer) {
  return {
    keycloak,
    keycloakMissing: peer.missing,
    ratioLanyardToKeycloak: keycloak === undefined ? undefined : ratio(lanyard.load.requestsPerSecond, keycloak.load.requestsPerSecond),
    totalCpuRatioKeycloakToLanyard: keycloak === undefined ? undefined : ratio(totalCpuMicros(keycloak.load), totalCpuMicros(lanyard.load)),
  };
}
