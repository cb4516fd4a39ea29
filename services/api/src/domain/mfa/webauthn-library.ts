/**
 * @simplewebauthn/server, loaded on the first passkey ceremony rather than at start-up. With its
 * ASN.1 and X.509 dependencies it is a tenth of the API's code and megabytes of heap once
 * evaluated, all of it idle in a deployment whose users never register a passkey. The production
 * bundle keeps it in a chunk of its own (scripts/build-images.mjs splits on dynamic imports); the
 * module loader evaluates it once and hands later calls the same module.
 */
export const webauthn = () => import('@simplewebauthn/server');
