import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { fixtureSpec } from '../testing/fixture-spec';
import { endpointEntry, kubeadmApi, parseJoinCommand, renderKubeadmInitConfig, renderKubeadmJoinConfig, withHostsBlock } from './render';
import { withPodCidr } from '../network/manifest';

const KEY = 'a'.repeat(64);
const HASH = `sha256:${'b'.repeat(64)}`;

test('kubeadm init config: Init, Cluster (external etcd with its certs) and Kubelet configuration from the spec', () => {
  const spec = fixtureSpec();
  const docs = parseAllDocuments(renderKubeadmInitConfig(spec, KEY)).map((d) => d.toJS() as Record<string, unknown>);
  assert.deepEqual(docs, [
    {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'InitConfiguration',
      localAPIEndpoint: { advertiseAddress: '10.0.0.1', bindPort: 6443 },
      nodeRegistration: { name: 'cp1', criSocket: 'unix:///run/containerd/containerd.sock', kubeletExtraArgs: [{ name: 'node-ip', value: '10.0.0.1' }] },
      certificateKey: KEY,
    },
    {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.31.4',
      clusterName: 'prod-k8s',
      controlPlaneEndpoint: 'api.prod.example:6443',
      networking: { podSubnet: '10.100.0.0/16', serviceSubnet: '10.96.0.0/16', dnsDomain: 'corp.local' },
      etcd: {
        external: {
          endpoints: ['https://10.0.0.1:2379', 'https://10.0.0.2:2379', 'https://10.0.0.3:2379'],
          caFile: '/etc/ssl/etcd/ssl/ca.pem',
          certFile: '/etc/ssl/etcd/ssl/apiserver-etcd-client.pem',
          keyFile: '/etc/ssl/etcd/ssl/apiserver-etcd-client-key.pem',
        },
      },
      apiServer: { certSANs: ['api.prod.example', '127.0.0.1', 'localhost', '10.96.0.1', 'cp1', '203.0.113.1', '10.0.0.1', 'cp2', '203.0.113.2', '10.0.0.2'] },
    },
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cgroupDriver: 'systemd',
      clusterDomain: 'corp.local',
      clusterDNS: ['10.96.0.10'],
      containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
    },
    { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'iptables', clusterCIDR: spec.network.podCidr, iptables: { masqueradeAll: false } },
  ]);
});

test('KubeKey tuning: extra SANs, kubelet limits and args, controller-manager mask, feature gates, kube-proxy ipvs merged with the user config', () => {
  const base = fixtureSpec();
  const spec = {
    ...base,
    kubernetes: {
      ...base.kubernetes, apiserverCertExtraSans: ['203.0.113.7', 'api.extra.example'], maxPods: 220, podPidsLimit: 4096, nodeCidrMaskSize: 25, proxyMode: 'ipvs' as const,
      masqueradeAll: true, featureGates: { InPlacePodVerticalScaling: true }, kubeletArgs: ['--root-dir=/data/kubelet', '--v=3'],
      kubeProxyConfiguration: { ipvs: { scheduler: 'lc', excludeCIDRs: ['10.20.0.0/24'] }, mode: 'ipvs' },
    },
  };
  const [init, cluster, kubelet, proxy] = parseAllDocuments(renderKubeadmInitConfig(spec, KEY)).map((d) => d.toJS() as Record<string, Record<string, unknown>>);
  // v1.31: kubeadm v1beta4, every extraArgs a list of {name, value}
  assert.deepEqual(init!.nodeRegistration!.kubeletExtraArgs, [{ name: 'root-dir', value: '/data/kubelet' }, { name: 'v', value: '3' }, { name: 'node-ip', value: '10.0.0.1' }]);
  assert.deepEqual((cluster!.apiServer!.certSANs as string[]).slice(-2), ['203.0.113.7', 'api.extra.example']);
  assert.deepEqual(cluster!.apiServer!.extraArgs, [{ name: 'feature-gates', value: 'InPlacePodVerticalScaling=true' }]);
  assert.deepEqual(cluster!.controllerManager, { extraArgs: [{ name: 'feature-gates', value: 'InPlacePodVerticalScaling=true' }, { name: 'node-cidr-mask-size', value: '25' }] });
  assert.deepEqual(cluster!.scheduler, { extraArgs: [{ name: 'feature-gates', value: 'InPlacePodVerticalScaling=true' }] });
  assert.equal(kubelet!.maxPods, 220);
  assert.equal(kubelet!.podPidsLimit, 4096);
  assert.deepEqual(kubelet!.featureGates, { InPlacePodVerticalScaling: true });
  assert.deepEqual(proxy, {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'ipvs', clusterCIDR: base.network.podCidr,
    iptables: { masqueradeAll: true }, featureGates: { InPlacePodVerticalScaling: true }, ipvs: { scheduler: 'lc', excludeCIDRs: ['10.20.0.0/24'] },
  });
  const join = parse(renderKubeadmJoinConfig(spec, spec.hosts[2]!, { apiServerEndpoint: 'x:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [HASH] }, null)) as Record<string, Record<string, unknown>>;
  assert.deepEqual(join.nodeRegistration!.kubeletExtraArgs, [{ name: 'root-dir', value: '/data/kubelet' }, { name: 'v', value: '3' }, { name: 'node-ip', value: spec.hosts[2]!.internalAddress ?? spec.hosts[2]!.address }]);
});

test('a private registry becomes the image repository', () => {
  const spec = fixtureSpec({ registry: { mirrors: [], insecureRegistries: [], privateRegistry: { url: 'https://reg.corp:5000/k8s' } } });
  const cluster = parseAllDocuments(renderKubeadmInitConfig(spec, KEY))[1]!.toJS() as { imageRepository: string };
  assert.equal(cluster.imageRepository, 'reg.corp:5000/k8s');
});

test('join configs: control planes carry the certificate key and keep or drop the taint; workers have no controlPlane', () => {
  const spec = fixtureSpec();
  const join = { apiServerEndpoint: 'api.prod.example:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [HASH] };
  const cp2 = parse(renderKubeadmJoinConfig(spec, spec.hosts[1]!, join, KEY));
  assert.deepEqual(cp2, {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'JoinConfiguration',
    discovery: { bootstrapToken: { apiServerEndpoint: 'api.prod.example:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [HASH] } },
    nodeRegistration: { name: 'cp2', criSocket: 'unix:///run/containerd/containerd.sock', kubeletExtraArgs: [{ name: 'node-ip', value: '10.0.0.2' }], taints: [] },
    controlPlane: { localAPIEndpoint: { advertiseAddress: '10.0.0.2', bindPort: 6443 }, certificateKey: KEY },
  });
  const w2 = parse(renderKubeadmJoinConfig(spec, spec.hosts[3]!, join, null)) as Record<string, unknown>;
  assert.equal(w2.controlPlane, undefined);
  assert.deepEqual(w2.nodeRegistration, { name: 'w2', criSocket: 'unix:///run/containerd/containerd.sock', kubeletExtraArgs: [{ name: 'node-ip', value: '203.0.113.4' }], taints: [] });
});

test('kubeadm v1beta3 below Kubernetes 1.31: same fields, extraArgs as a map', () => {
  const k8s = (version: string) => fixtureSpec({ kubernetes: { version, clusterName: 'prod-k8s', clusterDomain: 'corp.local', containerRuntime: 'containerd', controlPlaneEndpoint: { domain: 'api.prod.example', port: 6443 } } });
  const v130 = k8s('v1.30.8');
  const [init, cluster] = parseAllDocuments(renderKubeadmInitConfig(v130, KEY)).map((d) => d.toJS() as { apiVersion: string; nodeRegistration?: unknown });
  assert.equal(init!.apiVersion, 'kubeadm.k8s.io/v1beta3');
  assert.equal(cluster!.apiVersion, 'kubeadm.k8s.io/v1beta3');
  assert.deepEqual((init!.nodeRegistration as { kubeletExtraArgs: unknown }).kubeletExtraArgs, { 'node-ip': '10.0.0.1' });
  const join = parse(renderKubeadmJoinConfig(v130, v130.hosts[3]!, { apiServerEndpoint: 'api.prod.example:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [HASH] }, null)) as { apiVersion: string };
  assert.equal(join.apiVersion, 'kubeadm.k8s.io/v1beta3');
  assert.deepEqual([kubeadmApi('v1.28.15'), kubeadmApi('v1.31.0'), kubeadmApi('v1.32.0')], ['kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4', 'kubeadm.k8s.io/v1beta4']);
});

test('the API server binds to 6443 whatever port the endpoint (a load balancer) listens on', () => {
  const spec = fixtureSpec({ kubernetes: { version: 'v1.31.4', clusterName: 'prod-k8s', clusterDomain: 'corp.local', containerRuntime: 'containerd', controlPlaneEndpoint: { domain: 'api.prod.example', port: 8443, address: '10.0.0.1' } } });
  const [init, cluster] = parseAllDocuments(renderKubeadmInitConfig(spec, KEY)).map((d) => d.toJS() as Record<string, unknown>);
  assert.deepEqual(init!.localAPIEndpoint, { advertiseAddress: '10.0.0.1', bindPort: 6443 });
  assert.equal(cluster!.controlPlaneEndpoint, 'api.prod.example:8443');
  const join = parse(renderKubeadmJoinConfig(spec, spec.hosts[1]!, { apiServerEndpoint: 'api.prod.example:8443', token: 'abcdef.0123456789abcdef', caCertHashes: [HASH] }, KEY)) as { controlPlane: unknown };
  assert.deepEqual(join.controlPlane, { localAPIEndpoint: { advertiseAddress: '10.0.0.2', bindPort: 6443 }, certificateKey: KEY });
});

test('parseJoinCommand takes endpoint, token and hashes, and refuses anything else', () => {
  const out = `kubeadm join api.prod.example:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${HASH} \n`;
  assert.deepEqual(parseJoinCommand(out), { apiServerEndpoint: 'api.prod.example:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [HASH] });
  assert.throws(() => parseJoinCommand('error: timed out'), /no usable join command/);
  assert.throws(() => parseJoinCommand(`kubeadm join x:6443 --token bad --discovery-token-ca-cert-hash ${HASH}`), /no usable join command/);
});

test('/etc/hosts block is added once, replaced on change and removed on reset, other lines kept', () => {
  const spec = fixtureSpec();
  const base = '127.0.0.1 localhost\n10.0.0.9 other\n';
  const entry = (s: typeof spec, i: number, joined = false) => endpointEntry(s, s.hosts[i]!, joined);
  const once = withHostsBlock(base, entry(spec, 3));
  assert.equal(once, `${base}# BEGIN kubexms control-plane endpoint\n10.0.0.1 api.prod.example\n# END kubexms control-plane endpoint\n`);
  assert.equal(withHostsBlock(once, entry(spec, 3)), once);
  const lb = fixtureSpec({ kubernetes: { version: 'v1.31.4', clusterName: 'prod-k8s', clusterDomain: 'corp.local', containerRuntime: 'containerd', controlPlaneEndpoint: { domain: 'api.prod.example', port: 6443, address: '10.0.0.100' } } });
  assert.match(withHostsBlock(once, entry(lb, 3)), /^10\.0\.0\.100 api\.prod\.example$/m);
  assert.equal(withHostsBlock(once, null), base);
  const dns = fixtureSpec({ kubernetes: { ...lb.kubernetes, controlPlaneEndpoint: { ...lb.kubernetes.controlPlaneEndpoint, externalDNS: true } } });
  assert.equal(withHostsBlock(once, entry(dns, 3)), base, 'externalDNS: the users\' DNS resolves the domain');
});

test('internal load balancer: the endpoint is 127.0.0.1 everywhere, except on a control plane that has not joined yet', () => {
  const spec = fixtureSpec({ kubernetes: { version: 'v1.31.4', clusterName: 'prod-k8s', clusterDomain: 'corp.local', containerRuntime: 'containerd', controlPlaneEndpoint: { domain: 'lb.prod', port: 6443, internalLoadbalancer: 'haproxy' } } });
  const at = (i: number, joined: boolean) => endpointEntry(spec, spec.hosts[i]!, joined)?.address;
  assert.deepEqual([at(0, false), at(2, false), at(3, false)], ['127.0.0.1', '127.0.0.1', '127.0.0.1']);
  assert.equal(at(1, false), '10.0.0.1');
  assert.equal(at(1, true), '127.0.0.1');
});

test('CNI manifests get the pod CIDR, or a clear error when the upstream text moved', () => {
  const calico = '          # - name: CALICO_IPV4POOL_CIDR\n          #   value: "192.168.0.0/16"\n';
  assert.equal(withPodCidr('calico', calico, '10.100.0.0/16'), '          - name: CALICO_IPV4POOL_CIDR\n            value: "10.100.0.0/16"\n');
  assert.equal(withPodCidr('flannel', '{ "Network": "10.244.0.0/16" }', '10.100.0.0/16'), '{ "Network": "10.100.0.0/16" }');
  assert.throws(() => withPodCidr('calico', 'kind: DaemonSet', '10.100.0.0/16'), /no commented CALICO_IPV4POOL_CIDR/);
});
