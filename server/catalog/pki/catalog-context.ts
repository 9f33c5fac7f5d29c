import type { SecretBox } from '../../secrets/box';

export type RuntimeLike = { cache: Map<string, unknown> };

/** What the runner (or a test) tells catalog steps about the control node; kept in runtime.cache under these keys. */
export type CatalogContext = {
  /** data dir on the control node: artifact cache and PKI live below it */
  dataDir: string;
  /** clusters.id when the cluster is stored; keys the PKI directory (else the spec's name is used) */
  clusterId?: string | number;
  /** when given, private keys are sealed with it at rest (AES-256-GCM) */
  secretBox?: SecretBox;
};

export const CACHE_KEYS = {
  dataDir: 'kubexms:dataDir',
  clusterId: 'kubexms:clusterId',
  secretBox: 'kubexms:secretBox',
  kubeconfig: 'kubexms:kubeconfig',
} as const;

export function setCatalogContext(runtime: RuntimeLike, context: CatalogContext): void {
  runtime.cache.set(CACHE_KEYS.dataDir, context.dataDir);
  if (context.clusterId !== undefined) runtime.cache.set(CACHE_KEYS.clusterId, context.clusterId);
  if (context.secretBox !== undefined) runtime.cache.set(CACHE_KEYS.secretBox, context.secretBox);
}

export function catalogContext(runtime: RuntimeLike): CatalogContext {
  const dataDir = runtime.cache.get(CACHE_KEYS.dataDir);
  if (typeof dataDir !== 'string' || dataDir === '') {
    throw new Error(`runtime.cache has no '${CACHE_KEYS.dataDir}': the runner must set the data dir before catalog steps run`);
  }
  const clusterId = runtime.cache.get(CACHE_KEYS.clusterId) as string | number | undefined;
  const secretBox = runtime.cache.get(CACHE_KEYS.secretBox) as SecretBox | undefined;
  return { dataDir, clusterId, secretBox };
}

/** Memoizes one promise per key for the whole run (downloads, PKI): concurrent hosts share it, a failure is not cached. */
export function runOnce<T>(runtime: RuntimeLike, key: string, make: () => Promise<T>): Promise<T> {
  const hit = runtime.cache.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const p = make();
  runtime.cache.set(key, p);
  p.catch(() => runtime.cache.delete(key));
  return p;
}
