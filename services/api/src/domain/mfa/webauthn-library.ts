import type * as SimpleWebauthn from '@simplewebauthn/server';

type WebauthnLibrary = typeof SimpleWebauthn;

/**
 * @simplewebauthn/server, loaded on the first passkey ceremony rather than at start-up. With its
 * ASN.1 and X.509 dependencies it is a tenth of the API's code and megabytes of heap once
 * evaluated, all of it idle in a deployment whose users never register a passkey. The production
 * bundle keeps it in a chunk of its own (scripts/build-images.mjs splits on dynamic imports).
 */
let loading: Promise<WebauthnLibrary> | undefined;

export const webauthn = (): Promise<WebauthnLibrary> =>
  (loading ??= import('@simplewebauthn/server').catch((error: unknown) => {
    // A failed load (a missing chunk) is retried by the next ceremony rather than cached.
    loading = undefined;
    throw error;
  }));
