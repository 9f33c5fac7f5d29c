import { sh } from '../../connectors/shell-quote';
import { fileMatches, writeFileIfChanged } from '../common/files';
import type { ClusterSpec, KxStep, KxTask } from '../common/types';
import { K8S_PATHS } from './render';

// KubeKey's autoRenewCerts installs k8s-certs-renew.{service,timer} on control planes: `kubeadm certs renew all`, then the
// static pods pick up the new certificates when their manifests are touched (kubelet restarts them).
export const CERT_RENEW = { service: '/etc/systemd/system/k8s-certs-renew.service', timer: '/etc/systemd/system/k8s-certs-renew.timer' } as const;

export function renderCertRenewService(): string {
  return `[Unit]
Description=Renew the Kubernetes control-plane certificates (installed by kubexms, autoRenewCerts)
After=network-online.target

[Service]
Type=oneshot
ExecStart=${K8S_PATHS.bin}/kubeadm certs renew all
ExecStartPost=/bin/sh -c 'for f in /etc/kubernetes/manifests/*.yaml; do touch "$f"; done'
`;
}

export function renderCertRenewTimer(): string {
  return `[Unit]
Description=Monthly renewal of the Kubernetes control-plane certificates (installed by kubexms)

[Timer]
OnCalendar=Mon *-*-1..7 03:00:00
Persistent=true
RandomizedDelaySec=30min

[Install]
WantedBy=timers.target
`;
}

const installTimer: KxStep = {
  name: 'Install certificate renewal timer (autoRenewCerts)',
  writes: () => [
    { path: CERT_RENEW.service, content: renderCertRenewService(), mode: 0o644 },
    { path: CERT_RENEW.timer, content: renderCertRenewTimer(), mode: 0o644 },
  ],
  check: async (ctx) => (await fileMatches(ctx, CERT_RENEW.service, renderCertRenewService(), 0o644)) && (await fileMatches(ctx, CERT_RENEW.timer, renderCertRenewTimer(), 0o644))
    && (await ctx.exec('systemctl is-enabled --quiet k8s-certs-renew.timer', { quiet: true })).exitCode === 0,
  run: async (ctx) => {
    await writeFileIfChanged(ctx, CERT_RENEW.service, renderCertRenewService(), 0o644);
    await writeFileIfChanged(ctx, CERT_RENEW.timer, renderCertRenewTimer(), 0o644);
    await ctx.sudo(sh`systemctl daemon-reload && systemctl enable --now k8s-certs-renew.timer`);
  },
};

export function certRenewTasks(spec: Pick<ClusterSpec, 'kubernetes'>): KxTask[] {
  return spec.kubernetes.autoRenewCerts ? [{ name: 'Certificate renewal', runOnRoles: ['control-plane'], steps: [installTimer] }] : [];
}
