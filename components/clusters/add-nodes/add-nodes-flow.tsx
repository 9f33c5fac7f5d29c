'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useMemo, useState } from 'react';
import { newHostsError } from '@/server/contracts/add-nodes-api';
import type { SavedCluster } from '../saved-cluster';
import { INSTALL_MODULES, type InstallModule } from '@/server/contracts/run-phases';
import { secretSlots } from '@/server/contracts/spec-secrets';
import { validateSpec } from '@/server/contracts/spec-validate';
import { GuardedButton } from '@/components/auth/guarded-button';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { HostsStep } from '@/components/wizard/hosts-step';
import { PlanTable } from '@/components/wizard/plan-table';
import { RolesStep } from '@/components/wizard/simple-steps';
import { emptyHost, fromPublicSpec, toSpecInput, type HostRow } from '@/components/wizard/form-model';

const STEPS = ['New hosts', 'Roles', 'Review plan'] as const;
const stepOf = (path: string) => (/^hosts\.\d+\.roles/.test(path) || path === 'hosts' ? 1 : 0);
type ServerError = { message: string; data?: { fieldErrors?: Array<{ path: string; message: string }> } | null };

/** Add nodes to a saved cluster with the wizard's hosts and roles steps; the plan shows that only the new hosts are touched. */
export function AddNodesFlow({ cluster }: { cluster: SavedCluster }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const base = useMemo(() => fromPublicSpec(cluster.spec), [cluster.spec]);
  const existing = useMemo(() => cluster.spec.hosts.map((h) => h.name), [cluster.spec]);
  const hasDefaults = cluster.spec.hostDefaults?.auth !== undefined;
  const [hosts, setHosts] = useState<HostRow[]>(() => [emptyHost({ roles: ['worker'], useDefaults: hasDefaults, user: hasDefaults ? '' : 'root' })]);
  const [step, setStep] = useState(0);
  const [touched, setTouched] = useState(false);
  const [until, setUntil] = useState<InstallModule | ''>('');
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [banner, setBanner] = useState<string | null>(null);

  const form = { ...base, hosts };
  const whole = toSpecInput({ ...base, hosts: [...base.hosts, ...hosts] });
  const stored = useMemo(() => new Set(secretSlots(cluster.spec).filter((s) => s.set).map((s) => s.path)), [cluster.spec]);
  const validation = validateSpec(whole, { secrets: stored });
  const problems = validation.errors.map((e) => newHostsError(e, existing));
  const errors = new Map<string, string>();
  if (touched) for (const e of problems) if (!errors.has(e.path)) errors.set(e.path, e.message);
  for (const [p, msg] of serverErrors) errors.set(p, msg);
  const unpinned = hosts.filter((h) => !h.hostKeyFingerprint).map((h, i) => h.name || `host ${i + 1}`);
  const nodes = hosts.map((h) => h.name.trim());

  const edit = (next: (prev: HostRow[]) => HostRow[]) => { setHosts(next); setServerErrors(new Map()); setBanner(null); };
  const spec = useDeferredValue(whole);
  const ready = validation.ok && unpinned.length === 0;
  const preview = useQuery({ ...trpc.preview.spec.queryOptions({ spec, pipeline: 'addNodes', nodes, ...(until ? { until } : {}) }), enabled: step === 2 && ready });
  const add = useMutation(trpc.clusters.addNodes.mutationOptions({
    onSuccess: (r) => { void qc.invalidateQueries(); router.push(`/runs/${r.runId}`); },
    onError: (err: ServerError) => {
      const fe = err.data?.fieldErrors ?? [];
      setServerErrors(new Map(fe.map((e) => [e.path, e.message])));
      setBanner(err.message);
      setTouched(true);
      if (fe[0]) setStep(stepOf(fe[0].path));
      // a refused run takes the hosts out again: the cluster has a new version
      void qc.invalidateQueries({ queryKey: trpc.clusters.get.queryKey({ clusterId: cluster.id }) });
    },
  }));
  const go = (i: number) => { setTouched(true); setStep(i); };
  const general = problems.filter((e) => !e.path.startsWith('hosts.') && e.path !== 'hosts');

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Add nodes to {cluster.spec.name}</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The cluster has {existing.length} host{existing.length === 1 ? '' : 's'} ({existing.join(', ')}); they keep their roles and settings. Test each new host, accept its key and give it roles.
      </p>
      {banner ? <p role="alert" data-testid="add-nodes-banner" className="rounded bg-status-failed/10 p-2 text-sm">{banner}</p> : null}
      <nav aria-label="Add nodes steps">
        <ol className="flex flex-wrap gap-1">
          {STEPS.map((label, i) => (
            <li key={label}>
              <button type="button" onClick={() => go(i)} aria-current={i === step ? 'step' : undefined}
                className={`rounded-md px-3 py-1.5 text-sm ${i === step ? 'bg-brand text-white' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}>
                {i + 1}. {label}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      {step === 0 ? <HostsStep form={form} setForm={(fn) => edit((prev) => fn({ ...base, hosts: prev }).hosts)} errors={errors} clusterId={cluster.id} reveal={null} fixedDefaults /> : null}
      {step === 1 ? <RolesStep form={form} setHosts={(h) => edit(() => h)} errors={errors} warnings={validation.warnings.map((w) => newHostsError(w, existing).message)} /> : null}
      {step === 2 ? (
        <section aria-labelledby="plan-h" className="flex flex-col gap-3">
          <h2 id="plan-h" className="text-lg font-semibold">Plan: which tasks run on which hosts</h2>
          {general.map((e) => <p key={e.path + e.message} role="alert" className="text-sm text-status-failed">{e.path}: {e.message}</p>)}
          {!validation.ok ? <p role="alert" className="text-sm text-status-failed">{problems.length} field{problems.length === 1 ? '' : 's'} need attention in the hosts and roles steps.</p> : null}
          {unpinned.length > 0 ? <p role="alert" className="text-sm text-status-failed">Accept the host key of {unpinned.join(', ')} first (Test connection in step 1).</p> : null}
          {preview.data ? <ExistingHostsNote tasks={preview.data.plan.modules.flatMap((m) => m.tasks)} existing={existing} /> : null}
          {preview.data ? <PlanTable plan={preview.data.plan} /> : ready ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{preview.isError ? preview.error.message : 'Planning…'}</p> : null}
          <label className="flex items-center gap-2 text-sm">
            <span>Stop after</span>
            <select value={until} onChange={(e) => setUntil(e.target.value as InstallModule | '')} className="rounded-md border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900">
              <option value="">every module (full install)</option>
              {INSTALL_MODULES.map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </label>
          <div>
            <GuardedButton procedure="clusters.addNodes" variant="primary" disabled={!ready || add.isPending}
              onClick={() => add.mutate({ clusterId: cluster.id, expectedVersion: cluster.version, hosts: toSpecInput(form).hosts, ...(until ? { until } : {}) })}>
              {add.isPending ? 'Adding…' : `Add ${hosts.length} node${hosts.length === 1 ? '' : 's'} and run addNodes`}
            </GuardedButton>
          </div>
        </section>
      ) : null}
      <div className="flex gap-2">
        {step > 0 ? <Button onClick={() => go(step - 1)}>Back</Button> : null}
        {step < STEPS.length - 1 ? <Button variant="primary" onClick={() => go(step + 1)}>Next</Button> : null}
      </div>
    </div>
  );
}

/** What addNodes does on the hosts already in the cluster: only the tasks the new nodes need from them. */
function ExistingHostsNote({ tasks, existing }: { tasks: ReadonlyArray<{ name: string; hosts: readonly string[] }>; existing: readonly string[] }) {
  const names = [...new Set(tasks.filter((t) => t.hosts.some((h) => existing.includes(h))).map((t) => t.name))];
  return (
    <p className="text-sm" data-testid="existing-hosts-note">
      {names.length === 0
        ? 'The hosts already in the cluster are not touched.'
        : `The hosts already in the cluster take part only in: ${names.join(', ')} (facts and join credentials for the new nodes); nothing is installed or reconfigured on them.`}
    </p>
  );
}
