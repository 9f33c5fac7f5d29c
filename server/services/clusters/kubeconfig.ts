import { isScalar, parseDocument, visit } from 'yaml';
import { getSecret } from '../../secrets/store';
import type { Deps } from './deps';
import { loadClusterForRun } from './load-for-run';

/** Where the admin kubeconfig fetched by createCluster is kept (encrypted, like every credential). */
export const KUBECONFIG_SECRET_PATH = 'kubeconfig';

const CREDENTIAL_KEYS = new Set(['client-key-data', 'token', 'password']);

/** The credentials inside a kubeconfig (client keys, tokens, passwords), in document order: a later run that prints it shows them redacted. */
export function kubeconfigCredentials(kubeconfig: string): string[] {
  const out: string[] = [];
  // uniqueKeys off: a repeated key still holds a credential to redact
  visit(parseDocument(kubeconfig, { uniqueKeys: false }), {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !CREDENTIAL_KEYS.has(String(pair.key.value)) || !isScalar(pair.value)) return;
      const value = pair.value.value;
      if (typeof value === 'string' && value.length > 0) out.push(value);
    },
  });
  return out;
}

/** The cluster for a run, with the credentials of its kept kubeconfig as extra secrets to redact. */
export async function loadClusterWithKubeconfig(deps: Deps, clusterId: number) {
  const loaded = await loadClusterForRun(deps, clusterId);
  const kubeconfig = getSecret(deps.db, deps.secretBox, clusterId, KUBECONFIG_SECRET_PATH);
  return kubeconfig ? { ...loaded, extraSecrets: kubeconfigCredentials(kubeconfig) } : loaded;
}
