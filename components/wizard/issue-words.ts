/** Field paths of the spec in the words the wizard's labels use. */
const FIELD_WORDS: Record<string, string> = {
  name: 'Cluster name',
  'kubernetes.version': 'Kubernetes version',
  'kubernetes.clusterName': 'Cluster name in kubeconfig',
  'kubernetes.clusterDomain': 'Cluster domain',
  'kubernetes.containerRuntime': 'Container runtime',
  'kubernetes.controlPlaneEndpoint.domain': 'Control-plane endpoint domain',
  'kubernetes.controlPlaneEndpoint.address': 'Endpoint address',
  'kubernetes.controlPlaneEndpoint.port': 'Endpoint port',
  'etcd.version': 'etcd version',
  'containerd.version': 'containerd version',
  'network.plugin': 'CNI plugin',
  'network.podCidr': 'Pod CIDR',
  'network.serviceCidr': 'Service CIDR',
  'registry.mirrors': 'Registry mirrors',
  'registry.insecureRegistries': 'Insecure registries',
  'registry.privateRegistry.url': 'Private registry URL',
  'registry.privateRegistry.username': 'Private registry username',
  'registry.privateRegistry.password': 'Private registry password',
  'artifacts.mirror': 'Artifact mirror',
  'preflight.firewall': 'Active firewall on a host',
  'hostDefaults.user': 'Default credentials: the user',
  'hostDefaults.auth.privateKey': 'Default credentials: the private key',
  'hostDefaults.auth.passphrase': 'Default credentials: the key passphrase',
  'hostDefaults.auth.password': 'Default credentials: the SSH password',
  'hostDefaults.sudoPassword': 'Default credentials: the sudo password',
  hosts: 'Hosts',
  roles: 'Roles',
};

const HOST_FIELD_WORDS: Record<string, string> = {
  name: 'the name', address: 'the address', internalAddress: 'the internal address', port: 'the SSH port', user: 'the SSH user',
  auth: 'the credentials', 'auth.privateKey': 'the private key', 'auth.passphrase': 'the key passphrase', 'auth.password': 'the SSH password',
  sudoPassword: 'the sudo password', roles: 'the roles', labels: 'the labels', hostKeyFingerprint: 'the host key',
};

type Named = { name: string };

export function hostWords(index: number, hosts: readonly Named[]): string {
  const name = hosts[index]?.name.trim();
  return `Host ${index + 1}${name ? ` (${name})` : ''}`;
}

/** "hosts.1.address" → "Host 2 (n22): the address"; "network.podCidr" → "Pod CIDR". */
export function fieldWords(path: string, hosts: readonly Named[]): string {
  const host = /^hosts\.(\d+)(?:\.(.+))?$/.exec(path);
  if (host) {
    const who = hostWords(Number(host[1]), hosts);
    const field = host[2] ? HOST_FIELD_WORDS[host[2]] ?? host[2].replace(/\./g, ' ') : undefined;
    return field ? `${who}: ${field}` : who;
  }
  const exact = FIELD_WORDS[path];
  if (exact) return exact;
  const parent = Object.keys(FIELD_WORDS).filter((p) => path.startsWith(`${p}.`)).sort((a, b) => b.length - a.length)[0];
  return parent ? `${FIELD_WORDS[parent]} (${path.slice(parent.length + 1).replace(/\./g, ' ')})` : path;
}

/** Messages that name other hosts by index ("same as hosts.0") name them as a person would. */
export function messageWords(message: string, hosts: readonly Named[]): string {
  return message.replace(/\bhosts\.(\d+)\b/g, (_, i: string) => hostWords(Number(i), hosts).replace(/^Host/, 'host'));
}
