import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderKubeadmInitConfig } from '../kubernetes/render';
import { fixtureSpec } from '../testing/fixture-spec';
import { compareFile } from './compare';
import { renderHostFiles, type HostFiles } from './host-files';
import { secretRedactor } from './redact';

const PASSWORD = 'pa"ss-\\w0rd';
const hook = { name: 'mark', bash: 'sh mark.sh', materials: [{ name: 'mark.sh', content: 'touch /tmp/marked\n' }] };
const spec = fixtureSpec({
  kubernetes: {
    version: 'v1.31.4', clusterName: 'prod-k8s', clusterDomain: 'corp.local', containerRuntime: 'containerd', autoRenewCerts: true,
    controlPlaneEndpoint: { domain: 'api.prod.example', port: 6443, internalLoadbalancer: 'haproxy' },
  },
  registry: { mirrors: [], insecureRegistries: [], privateRegistry: { url: 'https://reg.example:5000', username: 'puller', password: PASSWORD } },
  system: { ntpServers: ['cp1', 'ntp.example'], timezone: 'Europe/Berlin', preInstall: [hook], postInstall: [], rpms: [], debs: [], skipConfigureOS: false },
});
const noArtifacts = async () => {
  throw new Error('offline');
};
const paths = (h: HostFiles | undefined) => new Set(h?.files.map((f) => f.path));

test('each host gets the files of the tasks that run on it, as after a create run', async () => {
  const hosts = await renderHostFiles(spec, { artifactText: noArtifacts });
  const by = new Map(hosts.map((h) => [h.host, h]));
  assert.deepEqual([...by.keys()], ['cp1', 'cp2', 'w1', 'w2']);
  for (const name of ['cp1', 'cp2', 'w1']) assert.ok(paths(by.get(name)).has('/etc/systemd/system/etcd.service'), name);
  assert.ok(!paths(by.get('w2')).has('/etc/systemd/system/etcd.service'), 'w2 is no etcd member');
  assert.ok(paths(by.get('cp1')).has('/etc/kubernetes/kubeadm-config.yaml'));
  assert.ok(!paths(by.get('cp2')).has('/etc/kubernetes/kubeadm-config.yaml'), 'only the first control plane runs kubeadm init');
  assert.equal(by.get('cp2')?.files.find((f) => f.path === '/etc/kubernetes/kubeadm-join.yaml')?.transient, true);
  // haproxy: workers that are not control planes (cp2 is both)
  assert.deepEqual(hosts.filter((h) => paths(h).has('/etc/kubexms/haproxy/haproxy.cfg')).map((h) => h.host), ['w1', 'w2']);
  assert.deepEqual(hosts.filter((h) => paths(h).has('/etc/systemd/system/k8s-certs-renew.timer')).map((h) => h.host), ['cp1', 'cp2']);
  const cni = by.get('cp1')?.files.find((f) => f.path === '/etc/kubernetes/addons/calico.yaml');
  assert.equal(cni?.content, null);
  assert.match(cni?.note ?? '', /not rendered: .*offline/);
  assert.equal(by.get('w1')?.files.find((f) => f.path === '/var/lib/kubexms/hooks/preInstall-0/mark.sh')?.content, 'touch /tmp/marked\n');
  // cp1 serves time to the others (a host name in ntpServers)
  assert.match(by.get('w1')?.files.find((f) => f.path === '/etc/chrony/chrony.conf')?.content ?? '', /^server 10\.0\.0\.1 iburst$/m);
});

test('no secret of the spec is in the output; keys and certificates are named, never shown', async () => {
  const hosts = await renderHostFiles(spec, { artifactText: noArtifacts });
  const text = JSON.stringify(hosts);
  assert.ok(!text.includes('w0rd'), 'registry password');
  assert.ok(!text.includes('AAAA'), 'SSH private key');
  const toml = hosts[0]?.files.find((f) => f.path === '/etc/containerd/config.toml')?.content ?? '';
  assert.match(toml, /^ {2}password = "<secret>"$/m);
  assert.match(toml, /^ {2}username = "puller"$/m);
  for (const f of hosts[0]?.files.filter((x) => x.path.endsWith('.pem')) ?? []) assert.equal(f.content, null, f.path);
  assert.match(hosts[0]?.files.find((f) => f.path.endsWith('kubeadm-config.yaml'))?.content ?? '', /^certificateKey: made-at-run-time$/m);
});

test('facts read from a host choose the chrony path and the etcd arch', async () => {
  const [w1] = await renderHostFiles(spec, { artifactText: noArtifacts, hosts: ['w1'], facts: new Map([['w1', { arch: 'arm64', osFamily: 'rhel' as const }]]) });
  assert.ok(paths(w1).has('/etc/chrony.conf'));
  assert.match(w1?.files.find((f) => f.path.endsWith('etcd.service'))?.content ?? '', /^Environment=ETCD_UNSUPPORTED_ARCH=arm64$/m);
  assert.equal(w1?.factsRead, true);
});

test('the CNI manifest is the upstream one as the step applies it', async () => {
  const upstream = ['kind: DaemonSet', 'spec:', '  template:', '    spec:', '      containers:', '        - name: calico-node', '          image: docker.io/calico/node:v3.29.3', '          env:',
    '            - name: IP', '              value: "autodetect"', '            # - name: CALICO_IPV4POOL_CIDR', '            #   value: "192.168.0.0/16"', ''].join('\n');
  const [cp1] = await renderHostFiles(spec, { artifactText: async (need, file) => (need.component === 'calico' && file === 'calico.yaml' ? upstream : ''), hosts: ['cp1'] });
  const cni = cp1?.files.find((f) => f.path.endsWith('calico.yaml'))?.content ?? '';
  assert.match(cni, /value: "10\.100\.0\.0\/16"/);
  assert.match(cni, /image: reg\.example:5000\/calico\/node:v3\.29\.3/);
});

test('diff: the hosts block is merged into the host\'s file; kubeadm keys on the host are hidden; mode counts', async () => {
  const [w2] = await renderHostFiles(spec, { artifactText: noArtifacts, hosts: ['w2'] });
  const redact = secretRedactor(spec);
  const hostsFile = w2!.files.find((f) => f.path === '/etc/hosts')!;
  const before = '127.0.0.1 localhost\n';
  const missing = compareFile(hostsFile, { content: before, mode: 0o644 }, redact);
  assert.equal(missing.state, 'differs');
  assert.match(missing.diff, /^\+127\.0\.0\.1 api\.prod\.example$/m);
  assert.equal(compareFile(hostsFile, { content: hostsFile.merge!(before), mode: 0o644 }, redact).state, 'same');

  const [cp1] = await renderHostFiles(spec, { artifactText: noArtifacts, hosts: ['cp1'] });
  const init = cp1!.files.find((f) => f.path.endsWith('kubeadm-config.yaml'))!;
  const onHost = renderKubeadmInitConfig(spec, 'f'.repeat(64));
  assert.equal(compareFile(init, { content: onHost, mode: 0o600 }, redact).state, 'same');
  assert.equal(compareFile(init, { content: onHost, mode: 0o644 }, redact).state, 'mode');
  assert.equal(compareFile(init, null, redact).state, 'missing');
  const toml = cp1!.files.find((f) => f.path === '/etc/containerd/config.toml')!;
  const real = toml.content!.replace('"<secret>"', JSON.stringify(PASSWORD));
  assert.equal(compareFile(toml, { content: real, mode: 0o644 }, redact).state, 'mode');
  const other = compareFile(toml, { content: real.replace(JSON.stringify(PASSWORD), '"stored-elsewhere"'), mode: 0o600 }, (t) => t);
  assert.equal(other.state, 'same', 'a password only the host has is hidden too');
});
