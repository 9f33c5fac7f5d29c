import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureSpec } from '../testing/fixture-spec';
import { renderContainerdConfig, renderRegistryHosts, sandboxImage } from './render';
import { ctrServerVersion } from './steps';
import { containerdArtifacts } from './versions';

const registry = (r: object) => fixtureSpec({ registry: { mirrors: [], insecureRegistries: [], ...r } });

test('config.toml is version 2 with SystemdCgroup, the sandbox image and certs.d as config_path', () => {
  const toml = renderContainerdConfig(fixtureSpec());
  assert.match(toml, /^version = 2\n/);
  assert.match(toml, /\[plugins\."io\.containerd\.grpc\.v1\.cri"\.containerd\.runtimes\.runc\.options\]\n {2}BinaryName = "\/usr\/local\/sbin\/runc"\n {2}SystemdCgroup = true\n/);
  assert.match(toml, /sandbox_image = "registry\.k8s\.io\/pause:3\.10"/);
  assert.match(toml, /\[plugins\."io\.containerd\.grpc\.v1\.cri"\.registry\]\n {2}config_path = "\/etc\/containerd\/certs\.d"\n$/);
  assert.equal(sandboxImage(fixtureSpec({ kubernetes: { version: 'v1.29.3', clusterName: 'k', clusterDomain: 'cluster.local', containerRuntime: 'containerd', controlPlaneEndpoint: { domain: 'lb.x', port: 6443 } } })), 'registry.k8s.io/pause:3.9');
});

test('private registry: pause from it, and auth quoted as TOML strings', () => {
  const toml = renderContainerdConfig(registry({ privateRegistry: { url: 'https://reg.corp:5000/k8s', username: 'ci"bot', password: 'p\\w"d' } }));
  assert.match(toml, /sandbox_image = "reg\.corp:5000\/k8s\/pause:3\.10"/);
  assert.ok(toml.endsWith('[plugins."io.containerd.grpc.v1.cri".registry.configs."reg.corp:5000".auth]\n  username = "ci\\"bot"\n  password = "p\\\\w\\"d"\n'));
});

test('hosts.toml: docker.io mirrors in order, insecure registries over http and unverified https', () => {
  const files = renderRegistryHosts(registry({ mirrors: ['https://m1.example/', 'http://m2.example:5000'], insecureRegistries: ['reg.lab:5000'] }));
  assert.deepEqual(files, [
    {
      host: 'docker.io',
      content:
        'server = "https://registry-1.docker.io"\n\n[host."https://m1.example"]\n  capabilities = ["pull", "resolve"]\n\n[host."http://m2.example:5000"]\n  capabilities = ["pull", "resolve"]\n',
    },
    {
      host: 'reg.lab:5000',
      content:
        'server = "http://reg.lab:5000"\n\n[host."http://reg.lab:5000"]\n  capabilities = ["pull", "resolve", "push"]\n  skip_verify = true\n\n[host."https://reg.lab:5000"]\n  capabilities = ["pull", "resolve", "push"]\n  skip_verify = true\n',
    },
  ]);
  assert.deepEqual(renderRegistryHosts(fixtureSpec()), []);
});

test('ctr version: the server section answers or not', () => {
  const ok = 'Client:\n  Version:  1.6.20~ds1\n  Revision: x\n\nServer:\n  Version:  1.6.20~ds1\n  Revision: y\n  UUID: z\n';
  assert.equal(ctrServerVersion(ok), '1.6.20~ds1');
  assert.equal(ctrServerVersion('Client:\n  Version:  1.6.20~ds1\n'), null);
});

test('companion artifacts: Debian 1.6.20 build has no crictl, 1.7 lines get crictl for the Kubernetes minor, options win', () => {
  const deb = containerdArtifacts({ containerd: { version: 'v1.6.20' }, kubernetes: fixtureSpec().kubernetes });
  assert.deepEqual([deb.runc.version, deb.cniPlugins.version, deb.crictl], ['v1.1.5', 'v1.1.1', null]);
  const real = containerdArtifacts({ containerd: { version: 'v1.7.24' }, kubernetes: { ...fixtureSpec().kubernetes, version: 'v1.29.3' } });
  assert.deepEqual(real.crictl, { component: 'crictl', version: 'v1.29.0' });
  assert.equal(containerdArtifacts({ containerd: { version: 'v1.7.24' }, kubernetes: fixtureSpec().kubernetes }, { crictl: null }).crictl, null);
});

test('hosts.toml: an http:// private registry is pulled over http, once even when also listed as insecure', () => {
  const http = renderRegistryHosts(registry({ privateRegistry: { url: 'http://reg.corp:5000/k8s' } }));
  assert.deepEqual(http, [{ host: 'reg.corp:5000', content: 'server = "http://reg.corp:5000"\n\n[host."http://reg.corp:5000"]\n  capabilities = ["pull", "resolve", "push"]\n' }]);
  assert.deepEqual(renderRegistryHosts(registry({ privateRegistry: { url: 'https://reg.corp:5000/k8s' } })), []);
  const both = renderRegistryHosts(registry({ insecureRegistries: ['reg.corp:5000'], privateRegistry: { url: 'http://reg.corp:5000' } }));
  assert.deepEqual(both.map((h) => h.host), ['reg.corp:5000']);
  assert.match(both[0]!.content, /skip_verify = true/);
});
