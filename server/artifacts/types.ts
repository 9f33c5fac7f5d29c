import { StepError } from '../engine/errors';
import type { FailureKind } from '../contracts/status';

export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

export const COMPONENTS = ['etcd', 'containerd', 'runc', 'cni-plugins', 'crictl', 'kubeadm', 'kubelet', 'kubectl', 'calico', 'flannel', 'haproxy', 'chrony'] as const;
export type Component = (typeof COMPONENTS)[number];

/** version without a leading "v" → [amd64 sha256, arm64 sha256] ('' = no sum known for that arch) */
export type Checksums = Readonly<Record<string, readonly [string, string]>>;

/**
 * What to take out of a downloaded file. tar: archive members (exact names as stored) → file name by basename;
 * binary: the file itself is an executable; file: a plain file (a manifest).
 */
export type Layout = { kind: 'tar'; members: readonly string[] } | { kind: 'binary'; name: string } | { kind: 'file'; name: string };

export type ComponentInfo = {
  /** official download URL; v is the version without a leading "v" */
  url(v: string, arch: Arch): string;
  layout(v: string, arch: Arch): Layout;
  checksums: Checksums;
};

/** A resolved artifact: where to fetch it and the sha256 it must have. */
export type ArtifactRef = {
  component: Component;
  /** normalized, with a leading "v" (as in the spec) */
  version: string;
  arch: Arch;
  url: string;
  filename: string;
  sha256: string;
  /** table: the built-in table; mirror: only the mirror's SHA256SUMS lists it */
  trust: 'table' | 'mirror';
  layout: Layout;
};

export class ArtifactError extends StepError {
  readonly component: string;
  readonly version: string;
  readonly arch: string;
  constructor(
    where: { component: string; version: string; arch: string },
    message: string,
    extra: { kind?: FailureKind; cause?: unknown } = {},
  ) {
    super(extra.kind ?? 'command', message, { cause: extra.cause });
    this.name = 'ArtifactError';
    this.component = where.component;
    this.version = where.version;
    this.arch = where.arch;
  }
}

export function bareVersion(version: string): string {
  return version.trim().replace(/^v/, '');
}

export function isArch(value: string): value is Arch {
  return (ARCHES as readonly string[]).includes(value);
}

export function isComponent(value: string): value is Component {
  return (COMPONENTS as readonly string[]).includes(value);
}
