import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { fixtureSpec } from '../testing/fixture-spec';
import { CNI_DEFAULTS, renderCniManifest, withNodeAddress } from './manifest';

// Shaped like the calico-node DaemonSet of calico v3.29's manifests/calico.yaml and flannel v0.25's kube-flannel.yml.
const CALICO = `kind: DaemonSet
apiVersion: apps/v1
metadata:
  name: calico-node
spec:
  template:
    spec:
      initContainers:
        - name: install-cni
          image: docker.io/calico/cni:v3.29.3
      containers:
        - name: calico-node
          image: docker.io/calico/node:v3.29.3
          env:
            # Auto-detect the BGP IP address.
            - name: IP
              value: "autodetect"
            # The default IPv4 pool to create on startup if none exists.
            # - name: CALICO_IPV4POOL_CIDR
            #   value: "192.168.0.0/16"
---
kind: Deployment
apiVersion: apps/v1
metadata:
  name: calico-kube-controllers
spec:
  template:
    spec:
      containers:
        - name: calico-kube-controllers
          image: docker.io/calico/kube-controllers:v3.29.3
`;

const FLANNEL = `kind: DaemonSet
apiVersion: apps/v1
metadata:
  name: kube-flannel-ds
spec:
  template:
    spec:
      initContainers:
      - name: install-cni-plugin
        image: docker.io/flannel/flannel-cni-plugin:v1.5.1-flannel1
      containers:
      - name: kube-flannel
        image: docker.io/flannel/flannel:v0.25.5
        command:
        - /opt/bin/flanneld
        args:
        - --ip-masq
        - --kube-subnet-mgr
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
---
kind: ConfigMap
apiVersion: v1
data:
  net-conf.json: |
    { "Network": "10.244.0.0/16", "Backend": { "Type": "vxlan" } }
`;

type Container = { name: string; image: string; env?: Array<{ name: string; value?: string; valueFrom?: unknown }>; args?: string[] };
const containers = (yaml: string) =>
  parseAllDocuments(yaml).flatMap((d) => {
    const spec = (d.toJS() as { spec?: { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } } }).spec?.template?.spec;
    return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  });
const hostIp = { fieldRef: { fieldPath: 'status.hostIP' } };

test('calico default supports the offered Kubernetes 1.30–1.32', () => {
  assert.equal(CNI_DEFAULTS.calico, 'v3.29.3');
});

test('calico: pod CIDR, autodetection by the node address, images from the private registry', () => {
  const spec = fixtureSpec({ registry: { mirrors: [], insecureRegistries: [], privateRegistry: { url: 'http://reg.corp:5000/k8s' } } });
  const out = renderCniManifest(spec, CALICO);
  const node = containers(out).find((c) => c.name === 'calico-node')!;
  assert.deepEqual(node.env, [
    { name: 'IP', value: 'autodetect' },
    { name: 'NODEIP', valueFrom: hostIp },
    { name: 'IP_AUTODETECTION_METHOD', value: 'can-reach=$(NODEIP)' },
    { name: 'CALICO_IPV4POOL_CIDR', value: '10.100.0.0/16' },
  ]);
  assert.deepEqual(containers(out).map((c) => c.image), ['reg.corp:5000/k8s/calico/cni:v3.29.3', 'reg.corp:5000/k8s/calico/node:v3.29.3', 'reg.corp:5000/k8s/calico/kube-controllers:v3.29.3']);
  assert.deepEqual(containers(renderCniManifest(fixtureSpec(), CALICO)).map((c) => c.image)[1], 'docker.io/calico/node:v3.29.3');
});

test('flannel: --iface is the node address, images from the private registry', () => {
  const base = fixtureSpec();
  const spec = fixtureSpec({ network: { ...base.network, plugin: 'flannel' }, registry: { mirrors: [], insecureRegistries: [], privateRegistry: { url: 'https://reg.corp' } } });
  const out = renderCniManifest(spec, FLANNEL);
  const flannel = containers(out).find((c) => c.name === 'kube-flannel')!;
  assert.deepEqual(flannel.args, ['--ip-masq', '--kube-subnet-mgr', '--iface=$(NODE_IP)']);
  assert.deepEqual(flannel.env?.map((e) => e.name), ['NODE_IP', 'POD_NAME']);
  assert.deepEqual(flannel.env?.[0]?.valueFrom, hostIp);
  assert.deepEqual(containers(out).map((c) => c.image), ['reg.corp/flannel/flannel-cni-plugin:v1.5.1-flannel1', 'reg.corp/flannel/flannel:v0.25.5']);
  assert.match(out, /"Network": "10\.100\.0\.0\/16"/);
});

test('a manifest whose text moved is refused, naming what is missing', () => {
  assert.throws(() => withNodeAddress('calico', CALICO.replace('"autodetect"', '"first-found"')), /no IP=autodetect setting/);
  assert.throws(() => withNodeAddress('flannel', FLANNEL.replace('- --kube-subnet-mgr', '')), /no --kube-subnet-mgr/);
});
