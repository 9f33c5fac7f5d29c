'use client';
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { ClusterSpecPublic } from '@/server/contracts/cluster-spec';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { emptyForm, fromPublicSpec, type WizardForm } from './form-model';

type Issue = { path: string; source?: string; message: string; line?: number; col?: number };

export function ImportPanel({ onImported }: { onImported: (form: WizardForm, note: string, text: string) => void }) {
  const trpc = useTRPC();
  const importYaml = useMutation(trpc.clusters.importKubeKey.mutationOptions());
  const [issues, setIssues] = useState<Issue[]>([]);
  const fileRef = useRef<HTMLInputElement>(null);

  const onFile = async (file: File) => {
    const text = await file.text();
    const res = await importYaml.mutateAsync({ text });
    setIssues(res.errors);
    const input = (res.spec ?? res.draft) as unknown as ImportedSpec | undefined;
    if (!input) return;
    const form = { ...emptyForm(), ...fromPublicSpec(normalize(input)) };
    form.hosts.forEach((row, i) => {
      const h = input.hosts[i];
      if (!h) return;
      if (h.auth.type === 'password' && typeof h.auth.password === 'string') row.password = h.auth.password;
      if (h.auth.type === 'key' && typeof h.auth.privateKey === 'string') row.privateKey = h.auth.privateKey;
      if (typeof h.sudoPassword === 'string') row.sudoPassword = h.sudoPassword;
    });
    const missing = res.missingSecrets.length;
    onImported(form, `Imported ${file.name}: ${form.hosts.length} hosts.${missing ? ` ${missing} secret(s) to enter (private keys and passwords are not read from files).` : ''}${res.warnings.length ? ` ${res.warnings.length} warning(s).` : ''}`, text);
  };

  return (
    <div className="ml-auto flex items-center gap-2">
      <input ref={fileRef} type="file" accept=".yaml,.yml,text/yaml" aria-label="KubeKey config file" className="hidden" onChange={(e) => { const f = e.target.files?.[0]; if (f) void onFile(f); e.target.value = ''; }} />
      <Button onClick={() => fileRef.current?.click()} disabled={importYaml.isPending}>Import KubeKey YAML</Button>
      {issues.length > 0 ? (
        <ul role="alert" className="text-xs text-status-failed">
          {issues.slice(0, 5).map((i, n) => <li key={n}>{i.line ? `line ${i.line}${i.col ? `:${i.col}` : ''}: ` : ''}{i.source ?? i.path}: {i.message}</li>)}
        </ul>
      ) : null}
    </div>
  );
}

type ImportedSpec = Omit<ClusterSpecPublic, 'hosts'> & {
  hosts: Array<Omit<ClusterSpecPublic['hosts'][number], 'auth' | 'sudoPassword'> & { sudoPassword?: unknown; auth: { type: 'key'; privateKey?: unknown } | { type: 'password'; password?: unknown } }>;
};

/** The importer's spec has defaults applied and secrets as values (copied into the form separately). */
function normalize(draft: ImportedSpec): ClusterSpecPublic {
  const notSet = { set: false };
  return {
    ...draft,
    registry: { ...draft.registry, privateRegistry: draft.registry.privateRegistry ? { ...draft.registry.privateRegistry, password: notSet } : undefined },
    hosts: draft.hosts.map((h) => ({
      ...h,
      sudoPassword: notSet,
      auth: h.auth.type === 'key' ? { type: 'key', privateKey: notSet, passphrase: notSet } : { type: 'password', password: notSet },
    })),
  };
}
