import { ClusterSpec } from '../../contracts/cluster-spec';
import type { ClusterSpecInput } from '../../contracts/cluster-spec';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----';

/** cp1 (control-plane+etcd), cp2 (control-plane+etcd+worker), w1 (worker+etcd), w2 (worker), for render and command tests */
export function fixtureSpec(overrides: Partial<Omit<ClusterSpecInput, 'hosts'>> = {}): ClusterSpec {
  const host = (name: string, address: string, internalAddress: string | undefined, roles: string[]) => ({
    name, address, ...(internalAddress ? { internalAddress } : {}), auth: { type: 'key', privateKey: KEY }, roles,
  });
  return ClusterSpec.parse({
    name: 'prod',
    kubernetes: { version: 'v1.31.4', clusterName: 'prod-k8s', clusterDomain: 'corp.local', controlPlaneEndpoint: { domain: 'api.prod.example', port: 6443 } },
    network: { plugin: 'calico', podCidr: '10.100.0.0/16', serviceCidr: '10.96.0.0/16' },
    ...overrides,
    hosts: [
      host('cp1', '203.0.113.1', '10.0.0.1', ['control-plane', 'etcd']),
      host('cp2', '203.0.113.2', '10.0.0.2', ['control-plane', 'etcd', 'worker']),
      host('w1', '203.0.113.3', '10.0.0.3', ['worker', 'etcd']),
      host('w2', '203.0.113.4', undefined, ['worker']),
    ],
  });
}
