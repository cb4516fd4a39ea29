/** One mutating call made to an in-memory fake (InMemoryKube, InMemoryIdentity). */
export interface FakeWrite {
  readonly system: 'kube' | 'identity';
  /** The method called, e.g. `apply`, `addClientSecret`. */
  readonly method: string;
  /** What it is about, e.g. `Secret acme/billing-oauth`, `acme/acme-billing`. */
  readonly target: string;
}

/**
 * Called around every mutating call of a fake: `before` it takes effect (throwing there is a crash
 * before the call), and `after` (throwing there is a crash after the call took effect but before
 * the caller saw the answer). Tests use it to inject crashes and to check invariants at every step.
 */
export type FakeWriteHook = (write: FakeWrite, phase: 'before' | 'after') => void;
