import { describe, expect, it } from 'vitest';
import { findKubeBinaries } from '@lanyard/testing';

describe('the kube test harness', () => {
  it('fails with instructions, never skips, when the binaries were not built', () => {
    expect(() => findKubeBinaries({ LANYARD_CACHE: '/nonexistent-cache' })).toThrow(/run scripts\/build-k8s-test-bins\.sh/);
    expect(() => findKubeBinaries({ LANYARD_CACHE: '/nonexistent-cache' })).toThrow('/nonexistent-cache/k8s-bin/kube-apiserver');
  });
});
