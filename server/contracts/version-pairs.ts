import type { SpecIssue } from './spec-checks';

/**
 * etcd kubeadm supports per Kubernetes minor: SupportedEtcdVersion in kubernetes/kubernetes
 * cmd/kubeadm/app/constants/constants.go, the value each minor's .0 release shipped with (later patches of a minor
 * only raised it, so this is the lowest etcd any release of that minor supports).
 */
export const KUBEADM_SUPPORTED_ETCD: Readonly<Record<number, string>> = {
  28: '3.5.9',
  29: '3.5.10',
  30: '3.5.12',
  31: '3.5.14',
  32: '3.5.16',
};

const parts = (v: string) => v.replace(/^v/, '').split(/[.+~-]/).slice(0, 3).map(Number);

function below(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

/** The etcd/Kubernetes pairing kubeadm refuses; only a run that includes the Kubernetes module is held to it. */
export function etcdPairErrors(spec: { kubernetes: { version: string }; etcd: { version: string } }): SpecIssue[] {
  const minor = parts(spec.kubernetes.version)[1] ?? 0;
  const min = KUBEADM_SUPPORTED_ETCD[minor];
  if (!min || !below(spec.etcd.version, min)) return [];
  return [{
    path: 'etcd.version',
    message: `etcd ${spec.etcd.version} is below v${min}, the etcd kubeadm supports for Kubernetes 1.${minor} (SupportedEtcdVersion); pick etcd v${min} or later, or stop the run before the kubernetes module`,
  }];
}
