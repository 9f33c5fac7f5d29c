'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ProbeResult } from '@/server/contracts/cluster-api';
import type { PipelineName } from '@/server/contracts/pipelines';
import { INSTALL_MODULES, PHASED_PIPELINES, type InstallModule } from '@/server/contracts/run-phases';
import { useAccess } from '@/components/auth/use-access';
import { EtcdPanel } from '@/components/etcd/etcd-panel';
import { useTRPC } from '@/components/providers/trpc';
import { RunList } from '@/components/runs/run-list';
import { GuardedButton } from '@/components/auth/guarded-button';
import { Button } from '@/components/ui/button';
import { formatTime } from '@/components/ui/format';
import { StatusBadge } from '@/components/ui/status';
import { ClusterStatusPanel } from '@/components/clusters/cluster-status-panel';
import { KubeconfigButton } from '@/components/clusters/kubeconfig-button';
import { useClusterDay2 } from '@/components/clusters/use-cluster-day2';
import { RemoveNodesSection } from '@/components/clusters/remove-nodes-section';
import { DeleteClusterDialog } from '@/components/clusters/delete-cluster-dialog';
import { ClusterDeletionNote } from '@/components/clusters/deletion-note';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

const ACTIONS = [
  { pipeline: 'preflightOnly', label: 'Run preflight', variant: 'secondary' },
  { pipeline: 'createCluster', label: 'Create cluster', variant: 'primary' },
  { pipeline: 'resetCluster', label: 'Reset cluster', variant: 'danger' },
] as const satisfies ReadonlyArray<{ pipeline: PipelineName; label: string; variant: string }>;
const phased = (p: PipelineName) => (PHASED_PIPELINES as readonly PipelineName[]).includes(p);

export function ClusterClient({ id }: { id: number }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const cluster = useQuery(trpc.clusters.get.queryOptions({ clusterId: id }));
  const [probes, setProbes] = useState<Map<string, ProbeResult>>(new Map());
  const [message, setMessage] = useState<string | null>(null);
  const [until, setUntil] = useState<InstallModule | ''>('');
  const invalidate = () => qc.invalidateQueries();
  const probeAll = useMutation(trpc.hosts.probeAll.mutationOptions({ onSuccess: (rs) => setProbes(new Map(rs.results.map((r) => [r.host, r]))) }));
  const accept = useMutation(trpc.hosts.acceptKey.mutationOptions({ onSuccess: invalidate, onError: (e) => setMessage(e.message) }));
  const start = useMutation(trpc.runs.start.mutationOptions({ onSuccess: (r) => router.push(`/runs/${r.runId}`), onError: (e) => setMessage(e.message) }));
  const day2 = useClusterDay2(id, setMessage);
  const { can } = useAccess();
  const [confirming, setConfirming] = useState<'delete' | 'reset' | null>(null);
  

  if (cluster.isPending) return <p className="text-sm text-zinc-500">Loading…</p>;
  if (cluster.isError) return <p role="alert" className="text-status-failed">{cluster.error.message}</p>;
  const c = cluster.data;
  const unpinned = c.hosts.filter((h) => !h.hostKey.fingerprint).length;

  const download = async () => {
    const { text: yaml } = await qc.fetchQuery(trpc.clusters.exportKubeKey.queryOptions({ clusterId: id }));
    const url = URL.createObjectURL(new Blob([yaml], { type: 'text/yaml' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${c.name}.yaml` });
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{c.name}</h1>
        {c.draft ? <span className="rounded bg-zinc-200 px-2 text-xs dark:bg-zinc-800">draft</span> : <span className="text-sm text-zinc-500">Kubernetes {c.spec.kubernetes.version}</span>}
        <span className="text-xs text-zinc-500">updated {formatTime(c.updatedAt)}</span>
        <div className="ml-auto flex flex-wrap gap-2">
          {can('clusters.update').allowed ? <Link href={`/clusters/${id}/edit`} className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700">Edit</Link> : null}
          <Button onClick={() => void download()}>Export KubeKey YAML</Button>
          <GuardedButton procedure="clusters.delete" variant="ghost" onClick={() => setConfirming('delete')}>Delete…</GuardedButton>
        </div>
      </div>
      {message ? <p role="alert" className="rounded bg-status-failed/10 p-2 text-sm">{message}</p> : null}
      <ClusterDeletionNote clusterId={id} />
      <section aria-labelledby="hosts-h" className="flex flex-col gap-2">
        <div className="flex items-center gap-2">
          <h2 id="hosts-h" className="text-lg font-semibold">Hosts</h2>
          {unpinned > 0 ? <span className="text-sm text-status-cancelled">{unpinned} host key(s) not accepted yet</span> : null}
          <span className="ml-auto"><GuardedButton procedure="hosts.probeAll" onClick={() => probeAll.mutate({ clusterId: id })} disabled={probeAll.isPending}>{probeAll.isPending ? 'Testing…' : 'Test all connections'}</GuardedButton></span>
          {c.draft ? null : <GuardedButton procedure="clusters.addNodes" onClick={() => router.push(`/clusters/${id}/add-nodes`)}>Add nodes</GuardedButton>}
        </div>
        <table className="w-full text-sm [&_td]:py-1.5 [&_td]:pr-4 [&_th]:py-1 [&_th]:pr-4 [&_th]:font-medium">
          <thead><tr className="text-left text-xs uppercase tracking-wide text-zinc-500"><th>Name</th><th>Roles</th><th>Address</th><th>User</th><th>Facts</th><th>Last run</th><th>Host key</th></tr></thead>
          <tbody>
            {c.hosts.map((h) => {
              const p = probes.get(h.name);
              const roles = c.draft ? [] : (c.spec.hosts.find((s) => s.name === h.name)?.roles ?? []);
              const last = day2.lastRuns.get(h.name);
              const unreachable = day2.status?.hosts.find((s) => s.name === h.name)?.reachable === false;
              return (
                <tr key={h.name} className="border-t border-zinc-200 align-top dark:border-zinc-800" data-testid={`cluster-host-${h.name}`}>
                  <td className="font-mono">{h.name}{unreachable ? <span className="ml-2 rounded border border-status-failed/70 px-1 text-xs text-status-failed" data-testid={`unreachable-${h.name}`}>unreachable</span> : null}</td>
                  <td className="text-xs">{roles.join(', ')}</td>
                  <td className="font-mono">{h.address}:{h.port}</td>
                  <td>{h.username}</td>
                  <td className="text-xs">{p?.ok && p.facts ? `${p.facts.os.prettyName} · ${p.facts.cpus} CPU · ${(p.facts.memoryKb / 1048576).toFixed(1)} GiB` : h.facts ? `${h.facts.os.prettyName} · ${h.facts.cpus} CPU` : '—'}{p && !p.ok ? <span role="alert" className="block text-status-failed">{p.kind}: {p.message}</span> : null}</td>
                  <td className="text-xs" data-testid={`last-run-${h.name}`}>{last ? <Link href={`/runs/${last.runId}`} className="inline-flex items-center gap-1"><StatusBadge status={last.status} /><span className="font-mono">#{last.runId} {last.pipeline}</span></Link> : '—'}</td>
                  <td className="font-mono text-xs">
                    {h.hostKey.fingerprint ? <span className="text-status-succeeded">✓ {h.hostKey.fingerprint}</span> : <span className="text-status-cancelled">not accepted</span>}
                    {p?.ok && p.fingerprint !== h.hostKey.fingerprint ? (
                      <div className="mt-1">
                        {p.matches === false ? <p role="alert" className="text-status-failed">key changed: pinned {p.pinned}, now {p.fingerprint}</p> : <p>offered {p.fingerprint}</p>}
                        <GuardedButton procedure="hosts.acceptKey" className="mt-1" variant="primary" onClick={() => accept.mutate({ clusterId: id, host: h.name, fingerprint: p.fingerprint })}>Accept key</GuardedButton>
                      </div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="actions-h" className="flex flex-wrap items-center gap-2">
        <h2 id="actions-h" className="sr-only">Run</h2>
        {ACTIONS.map((a) => (
          <GuardedButton procedure="runs.start" key={a.pipeline} variant={a.variant} disabled={c.draft || start.isPending}
            onClick={() => { if (a.pipeline === 'resetCluster') setConfirming('reset'); else start.mutate({ clusterId: id, pipeline: a.pipeline, ...(phased(a.pipeline) && until ? { until } : {}) }); }}>
            {a.label}
          </GuardedButton>
        ))}
        <label className="flex items-center gap-2 text-sm">
          <span>Create cluster stops after</span>
          <select value={until} onChange={(e) => setUntil(e.target.value as InstallModule | '')} className="rounded-md border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700">
            <option value="">every module (full install)</option>
            {INSTALL_MODULES.map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
      </section>
      {c.draft ? null : <ClusterStatusPanel status={day2.status} refreshing={day2.reading} onRefresh={day2.refresh} />}
      {c.draft ? null : (
        <section aria-labelledby="kubeconfig-h" className="flex flex-col gap-2">
          <h2 id="kubeconfig-h" className="text-lg font-semibold">Kubeconfig</h2>
          <KubeconfigButton clusterId={id} onError={setMessage} />
        </section>
      )}
      {c.draft || c.hosts.length < 2 ? null : <RemoveNodesSection clusterId={id} clusterName={c.name} hosts={c.hosts.map((h) => h.name)} />}
      <EtcdPanel clusterId={id} clusterName={c.name} disabled={c.draft} />
      <section aria-labelledby="runs-h">
        <h2 id="runs-h" className="mb-2 text-lg font-semibold">Runs</h2>
        <RunList filter={{ clusterId: id }} />
      </section>
      <DeleteClusterDialog open={confirming === 'delete'} clusterId={id} name={c.name} draft={c.draft} onClose={() => setConfirming(null)} />
      <ConfirmDialog open={confirming === 'reset'} title={`Reset ${c.name}?`} confirmLabel="Reset cluster" typeToConfirm={c.name} busy={start.isPending}
        onConfirm={() => { setConfirming(null); start.mutate({ clusterId: id, pipeline: 'resetCluster' }); }} onClose={() => setConfirming(null)}>
        <p>This stops and removes what kubexms installed on every host (etcd data included). The cluster stays in kubexms.</p>
      </ConfirmDialog>
    </div>
  );
}
