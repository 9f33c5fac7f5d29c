import { z } from 'zod';

export const STATUS_COMPONENTS = ['containerd', 'runc', 'etcd', 'kubelet', 'kubeadm'] as const;
export type StatusComponent = (typeof STATUS_COMPONENTS)[number];
export const CLUSTER_VERDICTS = ['installed', 'partially installed', 'not installed', 'degraded'] as const;
export type ClusterVerdict = (typeof CLUSTER_VERDICTS)[number];

export const ComponentStatus = z.object({
  name: z.enum(STATUS_COMPONENTS),
  /** version the binary reports, null when kubexms's binary is not on the host */
  installed: z.string().nullable(),
  spec: z.string(),
  /** systemd unit and its ActiveState, for components that run as a service */
  unit: z.string().nullable(),
  service: z.string().nullable(),
});
export type ComponentStatus = z.infer<typeof ComponentStatus>;

export const EtcdMemberStatus = z.object({
  memberId: z.string().nullable(),
  leaderId: z.string().nullable(),
  isLeader: z.boolean(),
  healthy: z.boolean(),
  dbSizeBytes: z.number().nullable(),
  version: z.string().nullable(),
  error: z.string().nullable(),
});
export type EtcdMemberStatus = z.infer<typeof EtcdMemberStatus>;

export const CertStatus = z.object({ path: z.string(), subject: z.string(), notBefore: z.string(), notAfter: z.string(), daysLeft: z.number() });
export const DiskStatus = z.object({ path: z.string(), sizeBytes: z.number(), freeBytes: z.number() });

export const HostStatus = z.object({
  name: z.string(),
  address: z.string(),
  roles: z.array(z.string()),
  reachable: z.boolean(),
  error: z.string().nullable(),
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  components: z.array(ComponentStatus),
  etcd: EtcdMemberStatus.nullable(),
  certs: z.array(CertStatus),
  disks: z.array(DiskStatus),
});
export type HostStatus = z.infer<typeof HostStatus>;

export const ClusterStatus = z.object({
  verdict: z.enum(CLUSTER_VERDICTS),
  /** what differs from the spec, one sentence each ("n22: containerd 1.7.24 installed, spec says 1.7.25") */
  differences: z.array(z.string()),
  hosts: z.array(HostStatus),
  takenAt: z.number(),
  runId: z.number().nullable(),
});
export type ClusterStatus = z.infer<typeof ClusterStatus>;

/** 1.6.20~ds1 and v1.6.20 are the same release: compare without the "v" and any distribution suffix. */
export const sameVersion = (a: string, b: string) => a.replace(/^v/, '').split(/[~+-]/)[0] === b.replace(/^v/, '').split(/[~+-]/)[0];
