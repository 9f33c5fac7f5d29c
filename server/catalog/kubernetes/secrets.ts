import { randomBytes } from 'node:crypto';
import type { ClusterSpec } from '../../contracts/cluster-spec';
import { cacheKey, type ClusterRuntime } from '../../engine';
import { CACHE_KEYS, catalogContext, runOnce } from '../common/catalog-context';
import { filePkiStore, pkiDir } from '../pki/store';
import type { JoinCredentials } from './render';

const CERTIFICATE_KEY = cacheKey<Promise<string>>('kubexms:k8s-certificate-key');

/** kubeadm's key for the control-plane certificates it uploads in a Secret: made once per cluster, kept with the PKI (sealed when possible). */
export function certificateKeyFor(runtime: ClusterRuntime<ClusterSpec, unknown>): Promise<string> {
  return runOnce(runtime, CERTIFICATE_KEY, async () => {
    const context = catalogContext(runtime);
    const store = filePkiStore(pkiDir(context, runtime.spec.name, 'kubernetes'), context.secretBox);
    const existing = await store.read('certificate-key', true);
    if (existing && /^[0-9a-f]{64}$/.test(existing)) return existing;
    const key = randomBytes(32).toString('hex');
    await store.write('certificate-key', key, true);
    return key;
  });
}

const JOIN = cacheKey<JoinCredentials>('kubexms:k8s-join');

export function setJoinCredentials(runtime: ClusterRuntime<ClusterSpec, unknown>, join: JoinCredentials): void {
  runtime.cache.set(JOIN, join);
}

export function joinCredentials(runtime: ClusterRuntime<ClusterSpec, unknown>): JoinCredentials {
  const join = runtime.cache.get(JOIN);
  if (!join) throw new Error('no join token in this run: the "Create join credentials" task must run on the first control plane first');
  return join;
}

/** Hands the admin kubeconfig to the runner: runtime.cache CACHE_KEYS.kubeconfig (the runner stores it encrypted). */
export function publishKubeconfig(runtime: ClusterRuntime<ClusterSpec, unknown>, kubeconfig: string): void {
  runtime.cache.set(CACHE_KEYS.kubeconfig, kubeconfig);
}
