'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ProbeInput, ProbeResult } from '@/server/contracts/cluster-api';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { errorsUnder, SelectField, TextArea, TextField, type Errors } from './field';
import { emptyHost, parseHostLines, toSpecInput, type HostRow, type WizardForm } from './form-model';

type Props = { form: WizardForm; setForm: (f: (prev: WizardForm) => WizardForm) => void; errors: Errors; clusterId: number | null };

function probeInputFor(form: WizardForm, h: HostRow, clusterId: number | null): ProbeInput {
  const spec = toSpecInput({ ...form, hosts: [h] });
  const host = spec.hosts[0]!;
  return {
    clusterId: clusterId ?? undefined,
    form: { name: host.name || undefined, address: host.address, port: host.port ?? 22, user: host.user ?? 'root', auth: host.auth, hostKeyFingerprint: host.hostKeyFingerprint },
  };
}

export function HostsStep({ form, setForm, errors, clusterId }: Props) {
  const [paste, setPaste] = useState('');
  const [probes, setProbes] = useState<Record<string, ProbeResult | 'probing'>>({});
  const trpc = useTRPC();
  const probe = useMutation(trpc.hosts.probe.mutationOptions());

  const update = (key: string, patch: Partial<HostRow>) =>
    setForm((f) => ({ ...f, hosts: f.hosts.map((h) => (h.key === key ? { ...h, ...patch } : h)) }));
  const remove = (key: string) => setForm((f) => ({ ...f, hosts: f.hosts.filter((h) => h.key !== key) }));

  const test = async (h: HostRow) => {
    setProbes((p) => ({ ...p, [h.key]: 'probing' }));
    try {
      const result = await probe.mutateAsync(probeInputFor(form, h, clusterId));
      setProbes((p) => ({ ...p, [h.key]: result }));
    } catch (err) {
      setProbes((p) => ({ ...p, [h.key]: { ok: false, host: h.name, kind: 'unreachable', message: err instanceof Error ? err.message : String(err), fingerprint: null, pinned: null } }));
    }
  };
  const offered = form.hosts.flatMap((h) => {
    const p = probes[h.key];
    return p && p !== 'probing' && p.ok && p.matches !== false && p.fingerprint !== h.hostKeyFingerprint ? [{ key: h.key, fingerprint: p.fingerprint }] : [];
  });
  // accepting a key re-tests at once: a password is only sent to an accepted key, so this is the login that reads the facts
  const accept = (h: HostRow, fingerprint: string) => {
    update(h.key, { hostKeyFingerprint: fingerprint });
    void test({ ...h, hostKeyFingerprint: fingerprint });
  };
  const acceptAll = () => {
    setForm((f) => ({ ...f, hosts: f.hosts.map((h) => ({ ...h, hostKeyFingerprint: offered.find((o) => o.key === h.key)?.fingerprint ?? h.hostKeyFingerprint })) }));
    for (const h of form.hosts) {
      const o = offered.find((x) => x.key === h.key);
      if (o) void test({ ...h, hostKeyFingerprint: o.fingerprint });
    }
  };
  const testAll = async () => {
    const queue = [...form.hosts];
    const worker = async () => { for (let h = queue.shift(); h; h = queue.shift()) await test(h); };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
  };

  return (
    <section aria-labelledby="hosts-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="hosts-title" className="text-lg font-semibold">Hosts</h2>
        <span className="text-sm text-zinc-500">{form.hosts.length} host{form.hosts.length === 1 ? '' : 's'}</span>
        <div className="ml-auto flex gap-2">
          <Button onClick={() => setForm((f) => ({ ...f, hosts: [...f.hosts, emptyHost()] }))}>Add host</Button>
          <Button onClick={() => void testAll()} disabled={form.hosts.length === 0}>Test all connections</Button>
          {offered.length > 1 ? <Button variant="primary" onClick={acceptAll}>Accept {offered.length} host keys</Button> : null}
        </div>
      </div>
      {errorsUnder(errors, 'hosts').length > 0 && errors.get('hosts') ? <p role="alert" className="text-sm text-status-failed">{errors.get('hosts')}</p> : null}
      {form.hosts.map((h, i) => (
        <HostCard key={h.key} index={i} host={h} errors={errors} probe={probes[h.key]} onChange={(p) => update(h.key, p)} onRemove={() => remove(h.key)} onTest={() => void test(h)} onAccept={(fp) => accept(h, fp)} />
      ))}
      <details className="rounded-md border border-dashed border-zinc-300 p-3 dark:border-zinc-700">
        <summary className="cursor-pointer text-sm font-medium">Paste many hosts</summary>
        <TextArea name="paste-hosts" label='One per line: "name address [user] [port]" or just "address"' hint="Credentials are copied from host 1." value={paste} onChange={setPaste} rows={5} placeholder={'master1 10.0.0.11\nnode1 10.0.0.21 ubuntu 22\n10.0.0.22'} />
        <Button className="mt-2" onClick={() => {
          const rows = parseHostLines(paste, form.hosts.length);
          const template = form.hosts[0];
          const creds = template ? { authType: template.authType, privateKey: template.privateKey, passphrase: template.passphrase, password: template.password, sudoPassword: template.sudoPassword } : {};
          setForm((f) => ({ ...f, hosts: [...f.hosts.filter((x) => x.name || x.address), ...rows.map((r) => ({ ...r, ...creds }))] }));
          setPaste('');
        }}>Add these hosts</Button>
      </details>
    </section>
  );
}

function HostCard({ index, host: h, errors, probe, onChange, onRemove, onTest, onAccept }: {
  index: number; host: HostRow; errors: Errors; probe: ProbeResult | 'probing' | undefined;
  onChange: (p: Partial<HostRow>) => void; onRemove: () => void; onTest: () => void; onAccept: (fingerprint: string) => void;
}) {
  const e = (f: string) => errors.get(`hosts.${index}.${f}`);
  const stored = (set: boolean) => (set ? 'set — leave empty to keep' : undefined);
  return (
    <fieldset data-testid={`host-row-${index}`} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <legend className="px-1 text-sm font-medium">Host {index + 1}{h.name ? `: ${h.name}` : ''}</legend>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-6">
        <TextField name={`hosts.${index}.name`} label="Name" value={h.name} onChange={(v) => onChange({ name: v })} error={e('name')} required />
        <TextField name={`hosts.${index}.address`} label="Address" value={h.address} onChange={(v) => onChange({ address: v })} error={e('address')} required className="md:col-span-2" />
        <TextField name={`hosts.${index}.port`} label="SSH port" value={h.port} onChange={(v) => onChange({ port: v })} error={e('port')} />
        <TextField name={`hosts.${index}.user`} label="User" value={h.user} onChange={(v) => onChange({ user: v })} error={e('user')} />
        <SelectField name={`hosts.${index}.auth.type`} label="Auth" value={h.authType} onChange={(v) => onChange({ authType: v })} options={[{ value: 'key', label: 'Private key' }, { value: 'password', label: 'Password' }]} />
        {h.authType === 'key' ? (
          <>
            <TextArea name={`hosts.${index}.auth.privateKey`} label="Private key (OpenSSH or PEM)" value={h.privateKey} onChange={(v) => onChange({ privateKey: v })} error={e('auth.privateKey')} hint={stored(h.stored.privateKey)} rows={3} className="col-span-2 md:col-span-4" />
            <TextField name={`hosts.${index}.auth.passphrase`} type="password" label="Key passphrase" value={h.passphrase} onChange={(v) => onChange({ passphrase: v })} error={e('auth.passphrase')} hint={stored(h.stored.passphrase)} autoComplete="new-password" className="md:col-span-2" />
          </>
        ) : (
          <TextField name={`hosts.${index}.auth.password`} type="password" label="SSH password" value={h.password} onChange={(v) => onChange({ password: v })} error={e('auth.password')} hint={stored(h.stored.password)} autoComplete="new-password" className="md:col-span-2" />
        )}
        <TextField name={`hosts.${index}.sudoPassword`} type="password" label="sudo password" value={h.sudoPassword} onChange={(v) => onChange({ sudoPassword: v })} error={e('sudoPassword')} hint={stored(h.stored.sudoPassword) ?? 'only for non-root users without NOPASSWD'} autoComplete="new-password" className="md:col-span-2" />
        <TextField name={`hosts.${index}.internalAddress`} label="Internal address" value={h.internalAddress} onChange={(v) => onChange({ internalAddress: v })} error={e('internalAddress')} className="md:col-span-2" />
        <TextField name={`hosts.${index}.labels`} label="Labels (k=v, …)" value={h.labels} onChange={(v) => onChange({ labels: v })} error={errorsUnder(errors, `hosts.${index}.labels`)[0]} className="md:col-span-2" />
      </div>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button onClick={onTest} disabled={probe === 'probing' || !h.address}>{probe === 'probing' ? 'Testing…' : 'Test connection'}</Button>
        <Button variant="ghost" onClick={onRemove} aria-label={`Remove host ${h.name || index + 1}`}>Remove</Button>
        {h.hostKeyFingerprint ? <span className="font-mono text-xs text-status-succeeded" data-testid={`pinned-${index}`}>✓ key pinned {h.hostKeyFingerprint}</span> : null}
        {e('hostKeyFingerprint') ? <span role="alert" className="text-xs text-status-failed">{e('hostKeyFingerprint')}</span> : null}
      </div>
      {probe && probe !== 'probing' ? <ProbePanel index={index} probe={probe} pinned={h.hostKeyFingerprint} onAccept={onAccept} /> : null}
    </fieldset>
  );
}

function ProbePanel({ index, probe, pinned, onAccept }: { index: number; probe: ProbeResult; pinned: string; onAccept: (fp: string) => void }) {
  if (!probe.ok) {
    return (
      <div role="alert" data-testid={`probe-${index}`} className="mt-2 rounded bg-status-failed/10 p-2 text-sm">
        <strong className="text-status-failed">{probe.kind}</strong>: {probe.message}
        {probe.fingerprint && probe.pinned && probe.fingerprint !== probe.pinned ? (
          <p className="mt-1 font-mono text-xs">pinned {probe.pinned}<br />now {probe.fingerprint}</p>
        ) : null}
      </div>
    );
  }
  const f = probe.facts;
  return (
    <div data-testid={`probe-${index}`} className="mt-2 rounded bg-zinc-50 p-2 text-sm dark:bg-zinc-900">
      {f ? <p>{f.os.prettyName} · {f.cpus} CPU · {(f.memoryKb / 1024 / 1024).toFixed(1)} GiB · {f.arch} · kernel {f.kernel} · hostname {f.hostname}</p> : null}
      {probe.message ? <p className="text-zinc-500">{probe.message}</p> : null}
      <p className="mt-1 font-mono text-xs">Host key {probe.fingerprint}</p>
      {probe.matches === false ? <p role="alert" className="text-status-failed">The host key changed since it was pinned ({probe.pinned}). Verify the host before accepting the new key.</p> : null}
      {pinned !== probe.fingerprint ? <Button className="mt-1" variant="primary" onClick={() => onAccept(probe.fingerprint)}>Accept host key</Button> : null}
    </div>
  );
}
