'use client';
import { useMutation } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import type { WizardForm } from './form-model';
import { formFromDraft } from './import-draft';
import type { WizardIssue } from './issue-list';
import type { MissingSecret } from './secrets-to-enter';

export function ImportPanel({ onImported }: { onImported: (form: WizardForm, note: string, text: string, issues: WizardIssue[], secrets: MissingSecret[]) => void }) {
  const trpc = useTRPC();
  const importYaml = useMutation(trpc.clusters.importKubeKey.mutationOptions());
  const fileRef = useRef<HTMLInputElement>(null);

  const onFile = async (file: File) => {
    const text = await file.text();
    const res = await importYaml.mutateAsync({ text });
    const form = formFromDraft(res.spec ?? res.draft);
    const missing = res.missingSecrets.map((m) => ({ field: m.field, privateKeyPath: m.privateKeyPath }));
    const parts = [
      `Imported ${file.name}: ${form.hosts.length} host${form.hosts.length === 1 ? '' : 's'}.`,
      res.errors.length ? `${res.errors.length} problem${res.errors.length === 1 ? '' : 's'} to fix (listed below, each at its field).` : '',
      missing.length ? `${missing.length} secret${missing.length === 1 ? '' : 's'} to enter (listed below).` : '',
      res.warnings.length ? `${res.warnings.length} warning(s).` : '',
    ];
    onImported(form, parts.filter(Boolean).join(' '), text, res.errors, missing);
  };

  return (
    <div className="ml-auto flex items-center gap-2">
      <input ref={fileRef} type="file" accept=".yaml,.yml,text/yaml" aria-label="KubeKey config file" className="hidden" onChange={(e) => { const f = e.target.files?.[0]; if (f) void onFile(f); e.target.value = ''; }} />
      <Button onClick={() => fileRef.current?.click()} disabled={importYaml.isPending}>Import KubeKey YAML</Button>
      {importYaml.isError ? <p role="alert" className="text-xs text-status-failed">{importYaml.error.message}</p> : null}
    </div>
  );
}
