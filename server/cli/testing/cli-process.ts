import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LabHost } from '../../../e2e/hosts/fixture';
import { REPO_ROOT, exited } from '../../../e2e/support/server-process';

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Runs `node bin/kubexms.mjs ...args` as a real process on a data dir; resolves when it exits. */
export async function kubexms(args: string[], dataDir: string, timeoutMs = 180_000, extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, KUBEXMS_DATA_DIR: dataDir, ...extraEnv };
  delete env.KUBEXMS_SECRET_KEY;
  const proc = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/kubexms.mjs'), ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  const code = await exited(proc);
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Consecutive lab hosts as a KubeKey range (n[5:6]), as users write them; else one name each. */
function workers(hosts: readonly LabHost[]): string[] {
  const consecutive = hosts.every((h, i) => i === 0 || h.index === hosts[i - 1]!.index + 1);
  if (hosts.length > 1 && consecutive) return [`n[${hosts[0]!.index}:${hosts[hosts.length - 1]!.index}]`];
  return hosts.map((h) => h.name);
}

/** A KubeKey v1alpha2 Cluster file for lab hosts (root with the lab key by privateKeyPath), preflight minimums a lab host meets. */
export function writeLabClusterFile(file: string, name: string, hosts: readonly LabHost[], keyPath: string, kubexms: Readonly<Record<string, string>> = {}): void {
  const [first, ...rest] = hosts;
  if (!first) throw new Error('need at least one lab host');
  const lines = [
    'apiVersion: kubekey.kubesphere.io/v1alpha2',
    'kind: Cluster',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  hosts:',
    ...hosts.map((h) => `  - {name: ${h.name}, address: ${h.address}, internalAddress: ${h.address}, port: ${h.port}, user: root, privateKeyPath: "${keyPath}"}`),
    '  roleGroups:',
    `    etcd: [${first.name}]`,
    `    control-plane: [${first.name}]`,
    '    worker:',
    ...workers(rest).map((w) => `    - "${w}"`),
    '  controlPlaneEndpoint: {domain: lb.kubesphere.local, address: "", port: 6443}',
    '  kubernetes: {version: v1.31.4, clusterName: cluster.local, containerManager: containerd}',
    '  network: {plugin: calico, kubePodsCIDR: 10.233.64.0/18, kubeServiceCIDR: 10.233.0.0/18}',
    '  kubexms:',
    '    preflight: {minCpuControlPlane: 1, minMemControlPlaneMb: 256, minMemWorkerMb: 256, minDiskGb: 1}',
    ...Object.entries(kubexms).map(([k, v]) => `    ${k}: "${v}"`),
    '',
  ];
  fs.writeFileSync(file, lines.join('\n'));
}
