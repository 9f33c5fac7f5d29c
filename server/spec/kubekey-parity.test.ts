import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse } from 'yaml';
import { exportKubeKey, importKubeKey, redactSpec } from './index';

const dir = path.dirname(fileURLToPath(new URL('./fixtures/kubekey-every-field.yaml', import.meta.url)));
const text = readFileSync(path.join(dir, 'kubekey-every-field.yaml'), 'utf8');
const readFile = (p: string) => readFileSync(path.resolve(dir, p), 'utf8');

describe('KubeKey parity (issue #22)', () => {
  it('a file using every field validates with no field ignored: each is used, or refused with its reason', () => {
    const r = importKubeKey(text, { readFile });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.deepEqual(r.warnings.filter((w) => /ignored/.test(w.message)), []);
    assert.deepEqual(r.warnings.map((w) => [w.source, w.line]), [['spec.storage', 73]]);
    assert.match(r.warnings[0]!.message, /^refused: kubexms installs no storage provisioner/);
    const s = r.spec!;
    assert.deepEqual(s.kubernetes.controlPlaneEndpoint, { domain: 'api.parity.example', port: 6443, externalDNS: true });
    const { version: _v, clusterName: _c, clusterDomain, containerRuntime: _r, controlPlaneEndpoint: _e, ...tuning } = s.kubernetes;
    assert.equal(clusterDomain, 'parity.local');
    assert.deepEqual(tuning, {
      apiserverCertExtraSans: ['203.0.113.7', 'api.parity.internal'], autoRenewCerts: true, masqueradeAll: true, maxPods: 220, podPidsLimit: 4096,
      nodeCidrMaskSize: 25, proxyMode: 'ipvs', featureGates: { RotateKubeletServerCertificate: true, InPlacePodVerticalScaling: true },
      kubeProxyConfiguration: { ipvs: { excludeCIDRs: ['10.20.0.0/24'], scheduler: 'lc' } }, kubeletArgs: ['--root-dir=/data/kubelet', '--v=3'],
    });
    assert.deepEqual(s.etcd, {
      type: 'kubexms', version: s.etcd.version, dataDir: '/data/etcd', heartbeatInterval: 250, electionTimeout: 5000, snapshotCount: 50000, autoCompactionRetention: 4,
      metrics: 'extensive', quotaBackendBytes: 8589934592, maxRequestBytes: 1572864, maxSnapshots: 5, maxWals: 6, logLevel: 'warn',
    });
    assert.deepEqual(s.network.calico, { ipipMode: 'Never', vxlanMode: 'CrossSubnet', vethMTU: 1400 });
    assert.deepEqual(s.network.flannel, { backendMode: 'host-gw' });
    assert.equal(s.registry.namespaceOverride, 'kubesphereio');
    assert.deepEqual(s.system, {
      ntpServers: ['ntp.parity.example', 'm1'], timezone: 'Europe/Berlin', rpms: ['nfs-utils'], debs: ['nfs-common', 'chrony'], skipConfigureOS: false,
      preInstall: [{ name: 'mark the host', bash: 'sh mark.sh pre', materials: [{ name: 'mark.sh', content: readFile('every-field/mark.sh') }] }],
      postInstall: [{ name: 'leave a note', bash: 'echo done > /var/lib/kx-hook/post\n', materials: [], role: 'worker' }],
    });
  });

  it('refuses with a reason what kubexms cannot do: addons, multus, an external etcd, materials without the CLI', () => {
    const bad = text.replace('addons: []', 'addons: [{name: nfs, sources: {chart: {name: nfs-client}}}]').replace('multusCNI: {enabled: false}', 'multusCNI: {enabled: true}')
      .replace('    type: kubekey\n', '    type: kubekey\n    external: {endpoints: [https://10.0.0.1:2379]}\n');
    const r = importKubeKey(bad, { readFile });
    assert.deepEqual(r.errors.map((e) => [e.source, e.message.split(':')[0]]), [
      ['spec.etcd.external', 'an external etcd is not supported'],
      ['spec.network.multusCNI.enabled', 'multus is not installed by kubexms'],
      ['spec.addons', 'refused'],
    ]);
    const web = importKubeKey(text);
    assert.match(web.errors.map((e) => `${e.source}: ${e.message}`).join('\n'), /spec\.system\.preInstall\[0\]\.materials\[0\]: materials are files on the machine that imports the file/);
  });

  it("a hook's role is KubeKey's: master is control-plane (and written back as master), k8s both kinds of node, registry refused", () => {
    const withRole = (role: string) => importKubeKey(text.replace('    - name: mark the host\n', `    - name: mark the host\n      role: ${role}\n`), { readFile });
    const master = withRole('master');
    assert.equal(master.ok, true, JSON.stringify(master.errors));
    assert.deepEqual(master.spec!.system!.preInstall.map((h) => h.role), ['control-plane']);
    const kk = parse(exportKubeKey(redactSpec(master.spec!))).spec;
    assert.deepEqual([kk.system.preInstall[0].role, kk.system.postInstall[0].role], ['master', 'worker']);
    assert.equal(withRole('k8s').spec!.system!.preInstall[0]!.role, 'k8s');
    assert.deepEqual(withRole('registry').errors.map((e) => [e.source, e.message]), [['spec.system.preInstall[0].role', 'kubexms has no registry hosts: use master, worker, etcd or k8s, or remove role']]);
    assert.match(withRole('db').errors.map((e) => `${e.source}: ${e.message}`).join('\n'), /preInstall\[0\]\.role.*must be one of: etcd, control-plane, worker, k8s/);
  });

  it('field errors name their line', () => {
    const r = importKubeKey(text.replace('vxlanMode: CrossSubnet', 'vxlanMode: Always').replace('ipipMode: Never', 'ipipMode: Always').replace('electionTimeout: 5000', 'electionTimeout: 1000'), { readFile });
    assert.deepEqual(r.errors.map((e) => [e.source, e.line, e.message]), [
      ['spec.etcd.electionTimeout', 56, 'the election timeout (1000 ms) must be at least 5 heartbeat intervals (1250 ms)'],
      ['spec.network.calico.vxlanMode', 67, 'IP-in-IP and VXLAN cannot both be on: set one of ipipMode / vxlanMode to Never'],
    ]);
  });
});
