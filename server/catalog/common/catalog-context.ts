import { cacheKey, type CacheKey, type RunCache } from '../../engine';
import type { SecretBox } from '../../secrets/box';

export type RuntimeLike = { cache: RunCache };

/** What the runner (or a test) tells catalog steps about the control node; kept in runtime.cache under CACHE_KEYS.context. */
export type CatalogContext = {
  /** data dir on the control node: artifact cache and PKI live below it */
  dataDir: string;
  /** clusters.id when the cluster is stored; keys the PKI directory (else the spec's name is used) */
  clusterId?: string | number;
  /** when given, private keys are sealed with it at rest (AES-256-GCM) */
  secretBox?: SecretBox;
};

export const CACHE_KEYS = {
  context: cacheKey<CatalogContext>('kubexms:catalog-context'),
  /** the admin kubeconfig createCluster fetched, for the runner to keep (encrypted) */
  kubeconfig: cacheKey<string>('kubexms:kubeconfig'),
};

export function setCatalogContext(runtime: RuntimeLike, context: CatalogContext): void {
  runtime.cache.set(CACHE_KEYS.context, context);
}

export function catalogContext(runtime: RuntimeLike): CatalogContext {
  const context = runtime.cache.get(CACHE_KEYS.context);
  if (!context || context.dataDir === '') throw new Error('runtime.cache has no catalog context: the runner must set the data dir before catalog steps run');
  return context;
}

/** Memoizes one promise per key for the whole run (downloads, PKI): concurrent hosts share it, a failure is not cached. */
export function runOnce<T>(runtime: RuntimeLike, key: CacheKey<Promise<T>>, make: () => Promise<T>): Promise<T> {
  const hit = runtime.cache.get(key);
  if (hit) return hit;
  const p = make();
  runtime.cache.set(key, p);
  p.catch(() => runtime.cache.delete(key));
  return p;
}
