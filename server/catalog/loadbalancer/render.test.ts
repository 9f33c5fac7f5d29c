import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureSpec } from '../testing/fixture-spec';
import { kubernetesArtifacts, kubernetesTasks } from '../kubernetes/tasks';
import { renderHaproxyConfig, renderHaproxyUnit, runsLoadBalancer } from './render';

const withLb = () =>
  fixtureSpec({ kubernetes: { version: 'v1.31.4', clusterName: 'prod-k8s', clusterDomain: 'corp.local', containerRuntime: 'containerd', controlPlaneEndpoint: { domain: 'lb.prod', port: 6443, internalLoadbalancer: 'haproxy' } } });

test('haproxy.cfg: 127.0.0.1:6443 in front of every control plane at its node address, health-checked over TLS', () => {
  const cfg = renderHaproxyConfig(withLb());
  assert.match(cfg, /^frontend kube_api_frontend\n {2}bind 127\.0\.0\.1:6443\n {2}default_backend kube_api_backend$/m);
  assert.match(cfg, /option httpchk GET \/healthz\n {2}http-check expect status 200\n/);
  assert.deepEqual(cfg.match(/^ {2}server .*$/gm), ['  server cp1 10.0.0.1:6443 check check-ssl verify none', '  server cp2 10.0.0.2:6443 check check-ssl verify none']);
  assert.match(cfg, /option redispatch\n {2}retries 5\n/);
  assert.match(renderHaproxyUnit(), /^ExecStart=\/usr\/local\/sbin\/haproxy -Ws -f \/etc\/kubexms\/haproxy\/haproxy\.cfg$/m);
});

test('the load balancer runs on workers that are not control planes, and only when configured', () => {
  const spec = withLb();
  assert.deepEqual(spec.hosts.filter((h) => runsLoadBalancer(spec, h)).map((h) => h.name), ['w1', 'w2']);
  assert.deepEqual(fixtureSpec().hosts.filter((h) => runsLoadBalancer(fixtureSpec(), h)), []);
  const tasks = kubernetesTasks(spec).map((t) => t.name);
  assert.equal(tasks[0], 'Install the internal load balancer');
  assert.ok(tasks.indexOf('Point joined control planes at their own API server') > tasks.indexOf('Join control planes'));
  assert.ok(!kubernetesTasks(fixtureSpec()).some((t) => /load balancer|own API server/.test(t.name)));
});

test('every artifact of the kubernetes module is listed for the check before a run: binaries, CNI manifest, haproxy', () => {
  assert.deepEqual(kubernetesArtifacts(withLb()).map((a) => `${a.component} ${a.version}`), [
    'haproxy v2.6.12', 'kubeadm v1.31.4', 'kubelet v1.31.4', 'kubectl v1.31.4', 'calico v3.29.3',
  ]);
  assert.ok(!kubernetesArtifacts(fixtureSpec()).some((a) => a.component === 'haproxy'));
});
