'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import type { PipelineName } from '@/server/contracts/pipelines';
import type { ValidateResult } from '@/server/contracts/spec-validate';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { toSpecInput, type WizardForm } from './form-model';
import { IssueList } from './issue-list';
import { PlanTable } from './plan-table';
import { ReviewFiles } from './review-files';
import { messageWords } from './issue-words';

type Props = {
  form: WizardForm;
  validation: ValidateResult;
  clusterId: number | null;
  saving: boolean;
  onSave: () => Promise<number | null>;
  onSaved: (clusterId: number, runId: number | null) => void;
  onPick: (path: string) => void;
};

const TABS = [
  { id: 'yaml', label: 'KubeKey-style YAML (no secrets)' },
  { id: 'files', label: 'Files' },
] as const;

const PIPELINES = [
  { id: 'preflightOnly', label: 'Preflight only' },
  { id: 'createCluster', label: 'Create cluster' },
] as const satisfies ReadonlyArray<{ id: PipelineName; label: string }>;

export function ReviewStep({ form, validation, saving, onSave, onSaved, onPick }: Props) {
  const trpc = useTRPC();
  const [pipeline, setPipeline] = useState<(typeof PIPELINES)[number]['id']>('preflightOnly');
  const spec = useDeferredValue(toSpecInput(form));
  const preview = useQuery({ ...trpc.preview.spec.queryOptions({ spec, pipeline }), enabled: validation.ok });
  const start = useMutation(trpc.runs.start.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<(typeof TABS)[number]['id']>('yaml');

  const saveAnd = async (run: boolean) => {
    setError(null);
    const id = await onSave();
    if (id === null) return;
    if (!run) return onSaved(id, null);
    try {
      const res = await start.mutateAsync({ clusterId: id, pipeline });
      onSaved(id, res.runId);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section aria-label="Review" className="flex flex-col gap-4">
      {!validation.ok ? (
        <IssueList title={`${validation.errors.length} field${validation.errors.length === 1 ? '' : 's'} need attention`} issues={validation.errors} hosts={form.hosts} onPick={onPick} testId="review-issues" />
      ) : null}
      {validation.warnings.map((w) => <p key={w.path + w.message} className="text-sm text-status-cancelled">⚠ warning: {messageWords(w.message, form.hosts)}</p>)}
      <div className="flex flex-wrap items-center gap-2">
        <label className="text-sm" htmlFor="review-pipeline">Plan for</label>
        <select id="review-pipeline" value={pipeline} onChange={(e) => setPipeline(e.target.value as typeof pipeline)} className="rounded border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900">
          {PIPELINES.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        </select>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-semibold">Plan: which tasks run on which hosts</h3>
          {preview.data ? <PlanTable plan={preview.data.plan} /> : <p className="text-sm text-zinc-500">{preview.isError ? preview.error.message : validation.ok ? 'Planning…' : 'Fix the fields above to see the plan.'}</p>}
        </div>
        <div>
          <div role="tablist" aria-label="Spec views" className="mb-1 flex gap-1">
            {TABS.map((t) => (
              <button key={t.id} type="button" role="tab" id={`review-tab-${t.id}`} aria-selected={tab === t.id} aria-controls={`review-panel-${t.id}`} onClick={() => setTab(t.id)}
                className={`rounded-t border-b-2 px-2 py-1 text-sm font-semibold ${tab === t.id ? 'border-brand' : 'border-transparent text-zinc-600 dark:text-zinc-400'}`}>{t.label}</button>
            ))}
          </div>
          <div role="tabpanel" id={`review-panel-${tab}`} aria-labelledby={`review-tab-${tab}`}>
            {tab === 'yaml' ? <pre data-testid="review-yaml" tabIndex={0} className="max-h-[50vh] overflow-auto rounded bg-zinc-950 p-2 text-xs text-zinc-100">{preview.data?.yaml ?? ''}</pre>
              : validation.ok ? <ReviewFiles spec={spec} /> : <p className="text-sm text-zinc-600 dark:text-zinc-400">Fix the fields above to see the files.</p>}
          </div>
        </div>
      </div>
      {error ? <p role="alert" className="text-sm text-status-failed">{error}</p> : null}
      <div className="flex gap-2">
        <Button needsServer onClick={() => void saveAnd(false)} disabled={saving}>Save</Button>
        <Button needsServer variant="primary" onClick={() => void saveAnd(true)} disabled={saving || start.isPending}>Save and run {PIPELINES.find((p) => p.id === pipeline)?.label.toLowerCase()}</Button>
      </div>
    </section>
  );
}
