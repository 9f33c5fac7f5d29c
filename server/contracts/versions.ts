const patches = (minor: string, from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `v${minor}.${from + i}`);

export const KUBERNETES_VERSIONS: readonly string[] = [
  ...patches('1.28', 0, 15),
  ...patches('1.29', 0, 15),
  ...patches('1.30', 0, 14),
  ...patches('1.31', 0, 12),
];

// v3.4.23 is Debian bookworm's etcd-server, which the test mirror is built from.
export const ETCD_VERSIONS: readonly string[] = [...patches('3.5', 0, 21), 'v3.4.23'];

// v1.6.20 is Debian bookworm's containerd, which the test mirror is built from.
export const CONTAINERD_VERSIONS: readonly string[] = [...patches('1.7', 0, 27), 'v1.6.20'];

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
