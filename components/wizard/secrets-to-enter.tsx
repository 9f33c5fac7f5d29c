'use client';
import { Button } from '@/components/ui/button';
import type { WizardForm } from './form-model';
import { fieldWords } from './issue-words';

/** A secret the imported file did not carry (the importer's MissingSecret, by form field). */
export type MissingSecret = { field: string; privateKeyPath?: string | undefined };

/** Hosts that name the same key file and user: one default key can serve them all. */
export function sharedKeyGroups(form: WizardForm, missing: readonly MissingSecret[]) {
  const groups = new Map<string, { path: string; user: string; indices: number[] }>();
  for (const m of missing) {
    const hit = /^hosts\.(\d+)\.auth\.privateKey$/.exec(m.field);
    const h = hit ? form.hosts[Number(hit[1])] : undefined;
    if (!hit || !h || !m.privateKeyPath || h.useDefaults) continue;
    const id = `${m.privateKeyPath}\u0000${h.user}`;
    const g = groups.get(id) ?? { path: m.privateKeyPath, user: h.user, indices: [] };
    g.indices.push(Number(hit[1]));
    groups.set(id, g);
  }
  return [...groups.values()].filter((g) => g.indices.length > 1);
}

/** Moves a group of hosts onto the default credentials: the key is then entered once. */
export function shareKey(form: WizardForm, group: { user: string; indices: readonly number[] }): WizardForm {
  const at = new Set(group.indices);
  return {
    ...form,
    defaults: { ...form.defaults, user: group.user || 'root', authType: 'key' },
    hosts: form.hosts.map((h, i) => (at.has(i) ? { ...h, useDefaults: true, user: '' } : h)),
  };
}

const HOST_SECRET = { 'auth.privateKey': 'privateKey', 'auth.passphrase': 'passphrase', 'auth.password': 'password', sudoPassword: 'sudoPassword' } as const;

/** Typed since the import, or no longer needed because the host now uses the default credentials. */
function entered(form: WizardForm, field: string): boolean {
  if (field === 'registry.privateRegistry.password') return form.privateRegistryPassword !== '';
  const hit = /^hosts\.(\d+)\.(.+)$/.exec(field);
  const h = hit ? form.hosts[Number(hit[1])] : undefined;
  if (!hit || !h) return false;
  const key = HOST_SECRET[hit[2] as keyof typeof HOST_SECRET];
  if (h.useDefaults && key !== 'sudoPassword') return form.defaults[key] !== '';
  return key !== undefined && h[key] !== '';
}

/** The default credentials' field a host's secret now comes from, if it inherits them. */
function inherits(form: WizardForm, field: string): string | undefined {
  const hit = /^hosts\.(\d+)\.(auth\..+)$/.exec(field);
  return hit && form.hosts[Number(hit[1])]?.useDefaults ? `hostDefaults.${hit[2]}` : undefined;
}

type Props = { form: WizardForm; missing: readonly MissingSecret[]; onPick: (path: string) => void; onShare: (f: WizardForm) => void };

export function SecretsToEnter({ form, missing, onPick, onShare }: Props) {
  const open = missing.filter((m) => !entered(form, m.field));
  if (open.length === 0) return null;
  const groups = sharedKeyGroups(form, open);
  return (
    <div data-testid="secrets-to-enter" className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <p className="font-medium">Secrets to enter (private keys and passwords are never read from an imported file):</p>
      <ul className="mt-1 flex list-disc flex-col gap-0.5 pl-5">
        {open.map((m) => {
          const viaDefaults = inherits(form, m.field);
          return (
          <li key={m.field}>
            <button type="button" onClick={() => onPick(viaDefaults ?? m.field)} className="text-left underline decoration-dotted underline-offset-2 hover:decoration-solid">
              {fieldWords(m.field, form.hosts)}{viaDefaults ? ' (the default credentials)' : ''}
            </button>
            {m.privateKeyPath ? <span className="text-zinc-600 dark:text-zinc-400"> — the file names <code>{m.privateKeyPath}</code></span> : null}
          </li>
          );
        })}
      </ul>
      {groups.map((g) => (
        <Button key={`${g.path}-${g.user}`} className="mt-2" onClick={() => onShare(shareKey(form, g))}>
          Enter one key for the {g.indices.length} hosts that name {g.path}{g.user ? ` (user ${g.user})` : ''}
        </Button>
      ))}
    </div>
  );
}
