'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterSpecPublic } from '@/server/contracts/cluster-spec';
import { secretSlots } from '@/server/contracts/spec-secrets';
import { validateSpec } from '@/server/contracts/spec-validate';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { HostsStep } from './hosts-step';
import { ImportPanel } from './import-panel';
import { IssueList, type WizardIssue } from './issue-list';
import { ReviewStep } from './review-step';
import { useSettled } from './use-settled';
import { SecretsToEnter, type MissingSecret } from './secrets-to-enter';
import { BasicsStep, NetworkStep, RegistryStep, RolesStep } from './simple-steps';
import { emptyForm, fromPublicSpec, toSpecInput, withoutSecrets, type WizardForm } from './form-model';

const STEPS = [
  { id: 'basics', label: 'Basics', paths: ['name', 'kubernetes', 'etcd', 'containerd', 'artifacts', 'preflight'] },
  { id: 'hosts', label: 'Hosts', paths: ['hosts.'] },
  { id: 'roles', label: 'Roles', paths: ['roles', 'hosts'] },
  { id: 'network', label: 'Network', paths: ['network', 'kubernetes.controlPlaneEndpoint'] },
  { id: 'registry', label: 'Registry', paths: ['registry'] },
  { id: 'review', label: 'Review', paths: [] },
] as const;

const DRAFT_KEY = (id: number | null) => `kubexms-wizard-draft:${id ?? 'new'}`;

function stepOf(path: string): number {
  if (/^hosts\.\d+\.roles/.test(path) || path === 'hosts') return 2;
  if (path.startsWith('kubernetes.controlPlaneEndpoint') || path.startsWith('network')) return 3;
  if (path.startsWith('hosts.') || path.startsWith('hostDefaults')) return 1;
  if (path.startsWith('registry')) return 4;
  return 0;
}

type ServerError = { message: string; data?: { fieldErrors?: Array<{ path: string; message: string }> } | null };

export function ClusterWizard({ existing }: { existing?: { id: number; version: number; spec: ClusterSpecPublic } }) {
  const clusterId = existing?.id ?? null;
  const [form, setForm] = useState<WizardForm>(() => (existing ? fromPublicSpec(existing.spec) : emptyForm()));
  const [step, setStep] = useState(0);
  const [touched, setTouched] = useState<Set<number>>(new Set());
  const [serverErrors, setServerErrors] = useState<Map<string, string>>(new Map());
  const [banner, setBanner] = useState<string | null>(null);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dirty = useRef(false);

  useEffect(() => {
    const saved = localStorage.getItem(DRAFT_KEY(clusterId));
    if (!saved) return;
    try {
      const base = existing ? fromPublicSpec(existing.spec) : emptyForm();
      const draft = JSON.parse(saved) as Partial<WizardForm>;
      setForm({ ...base, ...draft, minimums: { ...base.minimums, ...draft.minimums }, defaults: { ...base.defaults, ...draft.defaults } });
      dirty.current = true;
      setBanner('Restored your unsaved draft (secrets are never kept in drafts: enter them again).');
    } catch { localStorage.removeItem(DRAFT_KEY(clusterId)); }
  }, [clusterId]);
  useEffect(() => {
    if (!dirty.current) return;
    const t = setTimeout(() => localStorage.setItem(DRAFT_KEY(clusterId), JSON.stringify(withoutSecrets(form))), 400);
    return () => clearTimeout(t);
  }, [form, clusterId]);

  const storedSecrets = useMemo(() => new Set(existing ? secretSlots(existing.spec).filter((s) => s.set).map((s) => s.path) : []), [existing]);
  // validating 200 hosts takes 40–300 ms here: on every key it made typing lag, so a big form is checked once typing pauses
  const checked = useSettled(form, form.hosts.length > 20 ? 250 : 0);
  const secretPolicy = existing ? storedSecrets : 'require';
  const validation = useMemo(() => validateSpec(toSpecInput(checked), { secrets: secretPolicy }), [checked, secretPolicy]);
  const errors = useMemo(() => {
    const m = new Map<string, string>();
    for (const e of validation.errors) if (touched.has(stepOf(e.path)) && !m.has(e.path)) m.set(e.path, e.message);
    for (const [p, msg] of serverErrors) m.set(p, msg);
    return m;
  }, [validation, touched, serverErrors]);
  const errorCount = (i: number) => validation.errors.filter((e) => stepOf(e.path) === i).length;

  const edit = (fn: (prev: WizardForm) => WizardForm) => { dirty.current = true; setForm(fn); setServerErrors(new Map()); setImportIssues([]); };
  const set = <K extends keyof WizardForm>(k: K, v: WizardForm[K]) => edit((f) => ({ ...f, [k]: v }));
  const discardDraft = () => {
    localStorage.removeItem(DRAFT_KEY(clusterId));
    dirty.current = false;
    setForm(existing ? fromPublicSpec(existing.spec) : emptyForm());
    setBanner(null);
  };
  const go = (i: number) => { setTouched((t) => new Set([...t, step])); setStep(i); };
  const [importIssues, setImportIssues] = useState<WizardIssue[]>([]);
  const [importSecrets, setImportSecrets] = useState<MissingSecret[]>([]);
  const [reveal, setReveal] = useState<{ path: string; n: number } | null>(null);
  const pick = (path: string) => { setTouched(new Set(STEPS.map((_, i) => i))); setStep(stepOf(path)); setReveal((r) => ({ path, n: (r?.n ?? 0) + 1 })); };
  useEffect(() => {
    // a host's fields may be outside the virtualized table's window: the hosts step brings them into view itself
    if (reveal === null || /^hosts\.\d+/.test(reveal.path)) return;
    const el = document.querySelector<HTMLElement>(`[name="${CSS.escape(reveal.path)}"]`) ?? document.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  }, [reveal, step]);

  const onSaved = (id: number) => {
    dirty.current = false;
    localStorage.removeItem(DRAFT_KEY(clusterId));
    void queryClient.invalidateQueries();
    return id;
  };
  const onError = (err: ServerError) => {
    const fe = err.data?.fieldErrors ?? [];
    setServerErrors(new Map(fe.map((e) => [e.path.replace(/^spec\./, ''), e.message])));
    setTouched(new Set(STEPS.map((_, i) => i)));
    setBanner(err.message);
    const first = fe[0];
    if (first) pick(first.path.replace(/^spec\./, ''));
  };
  // the imported file is kept with the cluster so that export returns it with only kubexms' changes
  const [kubekeySource, setKubekeySource] = useState<string | undefined>(undefined);
  const create = useMutation(trpc.clusters.create.mutationOptions({ onError }));
  const update = useMutation(trpc.clusters.update.mutationOptions({ onError }));

  const save = async (): Promise<number | null> => {
    setTouched(new Set(STEPS.map((_, i) => i)));
    const fresh = checked === form ? validation : validateSpec(toSpecInput(form), { secrets: secretPolicy });
    if (!fresh.ok) {
      const first = fresh.errors[0];
      if (first) pick(first.path);
      setBanner(`Fix ${fresh.errors.length} field${fresh.errors.length === 1 ? '' : 's'} first.`);
      return null;
    }
    const spec = toSpecInput(form);
    const res = existing
      ? await update.mutateAsync({ clusterId: existing.id, expectedVersion: existing.version, spec }).catch(() => null)
      : await create.mutateAsync({ spec, kubekeySource }).catch(() => null);
    return res ? onSaved(res.id) : null;
  };

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{existing ? `Edit ${existing.spec.name}` : 'New cluster'}</h1>
        {!existing ? <ImportPanel onImported={(f, note, text, issues, secrets) => {
          edit(() => f);
          setImportSecrets(secrets);
          setKubekeySource(text);
          setBanner(note);
          setImportIssues(issues);
          setServerErrors(new Map(issues.filter((i) => i.path).map((i) => [i.path, i.message])));
          if (issues.length > 0) setTouched(new Set(STEPS.map((_, i) => i)));
          setStep(issues[0] ? stepOf(issues[0].path) : 1);
        }} /> : null}
      </div>
      {banner ? (
        <div role="status" data-testid="wizard-banner" className="flex items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900">
          <span>{banner}</span>
          {banner.startsWith('Restored') ? <Button variant="ghost" className="ml-auto" onClick={discardDraft}>Discard draft</Button> : null}
        </div>
      ) : null}
      <IssueList title={`The imported file has ${importIssues.length} problem${importIssues.length === 1 ? '' : 's'}: the wizard holds what could be read; fix these before saving.`}
        issues={importIssues} hosts={form.hosts} onPick={pick} testId="import-issues" />
      <SecretsToEnter form={form} missing={importSecrets} onPick={pick} onShare={(f) => { edit(() => f); setStep(1); }} />
      <nav aria-label="Wizard steps">
        <ol className="flex flex-wrap gap-1">
          {STEPS.map((s, i) => (
            <li key={s.id}>
              <button type="button" onClick={() => go(i)} aria-current={i === step ? 'step' : undefined}
                className={`rounded-md px-3 py-1.5 text-sm ${i === step ? 'bg-brand text-white' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}>
                {i + 1}. {s.label}
                {touched.has(i) && errorCount(i) > 0 ? <span className="ml-1 rounded-full bg-status-failed px-1.5 text-xs text-white dark:text-zinc-950" aria-label={`${errorCount(i)} errors`}>{errorCount(i)}</span> : null}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div>
        {step === 0 ? <BasicsStep form={form} set={set} errors={errors} /> : null}
        {step === 1 ? <HostsStep form={form} setForm={edit} errors={errors} clusterId={clusterId} reveal={step === 1 ? reveal : null} /> : null}
        {step === 2 ? <RolesStep form={form} setHosts={(h) => set('hosts', h)} errors={errors} warnings={validation.warnings.map((w) => w.message)} /> : null}
        {step === 3 ? <NetworkStep form={form} set={set} errors={errors} /> : null}
        {step === 4 ? <RegistryStep form={form} set={set} errors={errors} /> : null}
        {step === 5 ? <ReviewStep form={form} validation={validation} onPick={pick} clusterId={clusterId} onSave={save} onSaved={(id, runId) => router.push(runId ? `/runs/${runId}` : `/clusters/${id}`)} saving={create.isPending || update.isPending} /> : null}
      </div>
      <div className="flex gap-2">
        {step > 0 ? <Button onClick={() => go(step - 1)}>Back</Button> : null}
        {step < STEPS.length - 1 ? <Button variant="primary" onClick={() => go(step + 1)}>Next</Button> : null}
      </div>
    </div>
  );
}
