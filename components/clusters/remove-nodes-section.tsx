'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { GuardedButton } from '@/components/auth/guarded-button';
import { useTRPC } from '@/components/providers/trpc';

type FieldErrors = Array<{ path: string; message: string }>;
const fieldErrorsOf = (e: { data?: unknown }) => ((e.data as { fieldErrors?: FieldErrors } | null | undefined)?.fieldErrors ?? []);

/** Remove nodes: pick hosts, type the cluster's name (the server checks it too), then removeNodes runs on them alone. */
export function RemoveNodesSection({ clusterId, clusterName, hosts }: { clusterId: number; clusterName: string; hosts: readonly string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [picked, setPicked] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const inputId = useId();
  const start = useMutation(trpc.runs.start.mutationOptions({
    onSuccess: (r) => router.push(`/runs/${r.runId}`),
    onError: (e) => {
      const field = fieldErrorsOf(e).find((f) => f.path === 'confirmName');
      setError({ message: field?.message ?? e.message, field: field ? 'confirmName' : null });
    },
  }));
  const toggle = (name: string) => setPicked((p) => (p.includes(name) ? p.filter((x) => x !== name) : [...p, name]));
  const nameError = error?.field === 'confirmName' ? error.message : null;

  return (
    <section aria-labelledby="remove-h" className="flex flex-col gap-2" data-testid="remove-nodes">
      <h2 id="remove-h" className="text-lg font-semibold">Remove nodes</h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Drains each node, runs kubeadm reset, removes its etcd member (only while the members left stay a majority), cleans it like a reset and drops it from the cluster.
      </p>
      <form className="flex flex-col gap-3" onSubmit={(e) => { e.preventDefault(); setError(null); start.mutate({ clusterId, pipeline: 'removeNodes', nodes: picked, confirmName: typed }); }}>
        <fieldset className="flex flex-wrap gap-3 text-sm">
          <legend className="mb-1 text-sm font-medium">Nodes to remove</legend>
          {hosts.map((h) => (
            <label key={h} className="flex items-center gap-1 font-mono"><input type="checkbox" checked={picked.includes(h)} onChange={() => toggle(h)} /> {h}</label>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-start gap-2 text-sm">
          <div className="flex flex-col gap-1">
            <label htmlFor={inputId}>Type <b>{clusterName}</b> to confirm</label>
            <input id={inputId} name="confirmName" value={typed} onChange={(e) => { setTyped(e.target.value); setError(null); }} autoComplete="off"
              aria-invalid={nameError !== null} aria-describedby={nameError ? `${inputId}-err` : undefined}
              className={`w-64 rounded-md border bg-transparent px-2 py-1 ${nameError ? 'border-status-failed' : 'border-zinc-300 dark:border-zinc-700'}`} />
            {nameError ? <p id={`${inputId}-err`} role="alert" data-field-error="confirmName" className="text-xs text-status-failed">{nameError}</p> : null}
          </div>
          <GuardedButton procedure="runs.start" type="submit" variant="danger" className="mt-6" disabled={picked.length === 0 || typed.trim() === '' || start.isPending}>
            {picked.length > 1 ? `Remove ${picked.length} nodes` : picked.length === 1 ? `Remove ${picked[0]}` : 'Remove nodes'}
          </GuardedButton>
        </div>
        {error && !nameError ? <p role="alert" className="rounded bg-status-failed/10 p-2 text-sm">{error.message}</p> : null}
      </form>
    </section>
  );
}
