'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { applyBulk, selectRange, type BulkChange } from './bulk-edit';
import { CredentialsFields } from './credentials-fields';
import { TextArea, type Errors } from './field';
import { emptyHost, parseHostLines, type Credentials, type HostRow, type WizardForm } from './form-model';
import { HostBulkBar } from './host-bulk-bar';
import { HostDetail } from './host-detail';
import { HostsTable, type RowActions } from './hosts-table';
import { offeredKeys, useHostProbes } from './use-host-probes';

type Props = {
  form: WizardForm; setForm: (f: (prev: WizardForm) => WizardForm) => void; errors: Errors; clusterId: number | null;
  /** a field to bring into view and focus, set when an issue is clicked */
  reveal: { path: string; n: number } | null;
  /** add nodes: the cluster's default credentials are shown, not edited (they belong to the hosts already there) */
  fixedDefaults?: boolean;
};

const TABLE_FIELDS = /^hosts\.(\d+)(?:\.(name|address|port|user|labels|roles.*))?$/;

export function HostsStep({ form, setForm, errors, clusterId, reveal, fixedDefaults = false }: Props) {
  const [paste, setPaste] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [openKey, setOpenKey] = useState<string | null>(null);
  const { probes, test, testMany } = useHostProbes(clusterId);
  const latest = useRef({ form, setForm });
  latest.current = { form, setForm };
  const lastClicked = useRef<string | null>(null);

  const actions = useMemo<RowActions>(() => {
    const rows = () => latest.current.form.hosts;
    const update = (key: string, patch: Partial<HostRow>) =>
      latest.current.setForm((f) => ({ ...f, hosts: f.hosts.map((h) => (h.key === key ? { ...h, ...patch } : h)) }));
    const testKey = (key: string, patch: Partial<HostRow> = {}) => {
      const h = rows().find((x) => x.key === key);
      if (h) void test(latest.current.form, { ...h, ...patch });
    };
    return {
      change: update,
      toggleSelect: (key, on, range) => {
        const from = range ? lastClicked.current : null;
        setSelected((s) => selectRange(rows().map((h) => h.key), s, from, key, on));
        lastClicked.current = key;
      },
      selectAll: (on) => setSelected(on ? new Set(rows().map((h) => h.key)) : new Set()),
      test: (key) => testKey(key),
      // accepting a key re-tests at once: a password is only sent to an accepted key, so this is the login that reads the facts
      accept: (key, fingerprint) => { update(key, { hostKeyFingerprint: fingerprint }); testKey(key, { hostKeyFingerprint: fingerprint }); },
      open: (key) => setOpenKey((k) => (k === key ? null : key)),
      show: (key) => setOpenKey(key),
      remove: (key) => {
        latest.current.setForm((f) => ({ ...f, hosts: f.hosts.filter((h) => h.key !== key) }));
        setSelected((s) => { const n = new Set(s); n.delete(key); return n; });
      },
    };
  }, [test]);

  useEffect(() => {
    const m = reveal && /^hosts\.(\d+)\.(.+)$/.exec(reveal.path);
    if (!m || TABLE_FIELDS.test(reveal.path)) return;
    const h = latest.current.form.hosts[Number(m[1])];
    if (!h) return;
    setOpenKey(h.key);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[name="${CSS.escape(reveal.path)}"]`)?.focus());
  }, [reveal]);

  const offered = offeredKeys(form.hosts, probes);
  const acceptAll = () => {
    setForm((f) => ({ ...f, hosts: f.hosts.map((h) => ({ ...h, hostKeyFingerprint: offered.find((o) => o.key === h.key)?.fingerprint ?? h.hostKeyFingerprint })) }));
    const rows = form.hosts.flatMap((h) => { const o = offered.find((x) => x.key === h.key); return o ? [{ ...h, hostKeyFingerprint: o.fingerprint }] : []; });
    void testMany(form, rows);
  };
  const bulk = (c: BulkChange) => setForm((f) => ({ ...f, hosts: applyBulk(f.hosts, selected, c) }));
  const setDefaults = (patch: Partial<Credentials>) => setForm((f) => ({ ...f, defaults: { ...f.defaults, ...patch } }));
  const inheriting = form.hosts.filter((h) => h.useDefaults).length;
  const openIndex = form.hosts.findIndex((h) => h.key === openKey);
  const open = form.hosts[openIndex];
  const sel = form.hosts.filter((h) => selected.has(h.key));

  return (
    <section aria-labelledby="hosts-title" className="flex flex-col gap-4">
      <fieldset className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800" data-testid="default-credentials">
        <legend className="px-1 text-sm font-medium">Default credentials</legend>
        <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
          Every host uses these unless it has its own ({inheriting} of {form.hosts.length} use them). Secrets are stored encrypted and never shown again.
        </p>
        {fixedDefaults ? <FixedDefaults defaults={form.defaults} /> : <CredentialsFields at="hostDefaults" value={form.defaults} onChange={setDefaults} errors={errors} />}
      </fieldset>
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="hosts-title" className="text-lg font-semibold">Hosts</h2>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">{form.hosts.length} host{form.hosts.length === 1 ? '' : 's'} · ↑/↓ or Enter move between rows · shift-click selects a range</span>
        <div className="ml-auto flex gap-2">
          <Button onClick={() => setForm((f) => ({ ...f, hosts: [...f.hosts, emptyHost()] }))}>Add host</Button>
          <Button onClick={() => void testMany(form, form.hosts)} disabled={form.hosts.length === 0}>Test all connections</Button>
          {offered.length > 1 ? <Button variant="primary" onClick={acceptAll}>Accept {offered.length} host keys</Button> : null}
        </div>
      </div>
      {errors.get('hosts') ? <p role="alert" className="text-sm text-status-failed">{errors.get('hosts')}</p> : null}
      {sel.length > 0 ? (
        <HostBulkBar count={sel.length} onApply={bulk} onTest={() => void testMany(form, sel)} onClear={() => setSelected(new Set())}
          onRemove={() => { setForm((f) => ({ ...f, hosts: f.hosts.filter((h) => !selected.has(h.key)) })); setSelected(new Set()); }} />
      ) : null}
      <HostsTable hosts={form.hosts} selected={selected} probes={probes} errors={errors} defaultUser={form.defaults.user || 'root'} openKey={openKey} actions={actions}
        reveal={reveal && TABLE_FIELDS.test(reveal.path) ? reveal : null} />
      {open ? (
        <HostDetail index={openIndex} host={open} defaults={form.defaults} probe={probes[open.key]} errors={errors} onChange={(p) => actions.change(open.key, p)}
          onAccept={(fp) => actions.accept(open.key, fp)} onClose={() => setOpenKey(null)} />
      ) : null}
      <details className="rounded-md border border-dashed border-zinc-300 p-3 dark:border-zinc-700">
        <summary className="cursor-pointer text-sm font-medium">Paste many hosts</summary>
        <TextArea name="paste-hosts" label='One per line: "name address [user] [port]" or just "address"' hint="Pasted hosts use the default credentials; an empty user is the default user."
          value={paste} onChange={setPaste} rows={5} placeholder={'master1 10.0.0.11\nnode1 10.0.0.21 ubuntu 22\n10.0.0.22'} />
        <Button className="mt-2" onClick={() => {
          const rows = parseHostLines(paste, form.hosts.length);
          // an untouched empty first row is replaced, not kept as an invalid host
          setForm((f) => ({ ...f, hosts: [...f.hosts.filter((h) => h.name || h.address), ...rows] }));
          setPaste('');
        }} disabled={!paste.trim()}>Add these hosts</Button>
      </details>
    </section>
  );
}

function FixedDefaults({ defaults: d }: { defaults: Credentials }) {
  const set = d.authType === 'key' ? d.stored.privateKey : d.stored.password;
  return (
    <p className="text-sm" data-testid="fixed-defaults">
      {set
        ? `The cluster's: ${d.authType === 'key' ? 'private key' : 'password'} of ${d.user || 'root'}${d.stored.sudoPassword ? ', with a sudo password' : ''} (change them with Edit).`
        : 'This cluster has no default credentials: give each new host its own (Credentials: own key or own password).'}
    </p>
  );
}
