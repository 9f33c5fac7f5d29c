const patches = (minor: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `v${minor}.${from + i}`);

// Exactly the versions server/artifacts has sha256 sums for (a unit test keeps the two in step), plus the
// mirror-only versions the test mirror builds from Debian bookworm (accepted only from a spec.artifacts.mirror).
export const KUBERNETES_VERSIONS: readonly string[] = [
  ...patches('1.28', 0, 15),
  ...patches('1.29', 0, 12),
  ...patches('1.30', 0, 8),
  ...patches('1.31', 0, 4),
  'v1.32.0',
];

export const MIRROR_ONLY_VERSIONS = { etcd: ['v3.4.23'], containerd: ['v1.6.20'] } as const;

export const ETCD_VERSIONS: readonly string[] = ['v3.4.13', ...patches('3.5', 6, 27), ...MIRROR_ONLY_VERSIONS.etcd];

export const CONTAINERD_VERSIONS: readonly string[] = [...patches('1.7', 0, 30), ...MIRROR_ONLY_VERSIONS.containerd];

export const DEFAULT_KUBERNETES_VERSION = 'v1.31.4';
export const DEFAULT_ETCD_VERSION = 'v3.5.16';
export const DEFAULT_CONTAINERD_VERSION = 'v1.7.24';

export function normalizeVersion(value: string): string {
  return /^\d/.test(value) ? `v${value}` : value;
}

export function describeVersions(list: readonly string[]): string {
  const byMinor = new Map<string, string[]>();
  for (const v of list) {
    const minor = v.split('.').slice(0, 2).join('.');
    byMinor.set(minor, [...(byMinor.get(minor) ?? []), v]);
  }
  return [...byMinor].map(([minor, vs]) => (vs.length === 1 ? vs[0] : `${minor}.x`)).join(', ');
}
