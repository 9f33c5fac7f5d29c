import type { ClusterSpec } from '../../contracts/cluster-spec';
import { mapSecrets } from '../../contracts/spec-secrets';
import { CONTAINERD_PATHS } from '../containerd/render';
import { K8S_PATHS, MADE_AT_RUN_TIME } from '../kubernetes/render';

export const HIDDEN = '<secret>';

/** Replaces every secret of the spec, as written raw or inside a JSON/TOML string. */
export function secretRedactor(spec: ClusterSpec): (text: string) => string {
  const values = new Set<string>();
  mapSecrets(spec, (value) => {
    if (typeof value === 'string' && value !== '') {
      values.add(value);
      values.add(JSON.stringify(value).slice(1, -1));
    }
    return value;
  });
  const sorted = [...values].sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((out, v) => out.split(v).join(HIDDEN), text);
}

const KUBEADM_FILES = new Set<string>([K8S_PATHS.initConfig, K8S_PATHS.joinConfig]);
const RUN_TIME_KEYS = /^(\s*(?:certificateKey|token):\s*).+$/gm;
const TOML_PASSWORD = /^(\s*password\s*=\s*)".*"$/gm;

/**
 * What a host holds that the spec in hand may not (kubeadm's certificate key and join token, a registry password kept
 * only in kubexms's store) read as the render shows it, so a diff never prints them.
 */
export function hideHostSecrets(path: string, text: string): string {
  if (KUBEADM_FILES.has(path)) return text.replace(RUN_TIME_KEYS, (_m, head: string) => `${head}${MADE_AT_RUN_TIME}`);
  if (path === CONTAINERD_PATHS.config) return text.replace(TOML_PASSWORD, (_m, head: string) => `${head}"${HIDDEN}"`);
  return text;
}
