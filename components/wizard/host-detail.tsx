'use client';
import { Button } from '@/components/ui/button';
import { CredentialsFields } from './credentials-fields';
import { TextField, type Errors } from './field';
import type { Credentials, HostRow } from './form-model';
import type { ProbeState } from './use-host-probes';

type Props = {
  index: number; host: HostRow; defaults: Credentials; probe: ProbeState | undefined; errors: Errors;
  onChange: (patch: Partial<HostRow>) => void; onAccept: (fp: string) => void; onClose: () => void;
};

/** One host's less common fields: its own credentials (or the note that it uses the defaults), internal address, the last test. */
export function HostDetail({ index: i, host: h, defaults, probe, errors, onChange, onAccept, onClose }: Props) {
  const title = `Host ${i + 1}${h.name ? ` (${h.name})` : ''}`;
  return (
    <section aria-label={`Details of ${title}`} data-testid="host-detail" className="flex flex-col gap-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex items-center gap-2">
        <h3 className="text-sm font-semibold">{title}</h3>
        <Button variant="ghost" className="ml-auto" onClick={onClose}>Close</Button>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={h.useDefaults} onChange={(e) => onChange({ useDefaults: e.target.checked })} />
        Use the cluster&apos;s default credentials ({defaults.authType === 'key' ? 'private key' : 'password'} of {defaults.user || 'root'})
      </label>
      {h.useDefaults ? (
        <TextField name={`hosts.${i}.sudoPassword`} type="password" label="sudo password for this host" value={h.sudoPassword} onChange={(v) => onChange({ sudoPassword: v })}
          error={errors.get(`hosts.${i}.sudoPassword`)} hint={h.stored.sudoPassword ? 'set — leave empty to keep' : 'empty: the default sudo password'} autoComplete="new-password" className="max-w-sm" />
      ) : (
        <CredentialsFields at={`hosts.${i}`} value={h} onChange={onChange} errors={errors} showUser={false} />
      )}
      <TextField name={`hosts.${i}.internalAddress`} label="Internal address" value={h.internalAddress} onChange={(v) => onChange({ internalAddress: v })}
        error={errors.get(`hosts.${i}.internalAddress`)} hint="empty: the address" className="max-w-sm" />
      {probe && probe !== 'probing' ? <ProbeFacts probe={probe} pinned={h.hostKeyFingerprint} onAccept={onAccept} /> : null}
      {h.hostKeyFingerprint ? <p className="font-mono text-xs text-status-succeeded" data-testid={`pinned-${i}`}>✓ key pinned {h.hostKeyFingerprint}</p> : null}
    </section>
  );
}

function ProbeFacts({ probe, pinned, onAccept }: { probe: Exclude<ProbeState, 'probing'>; pinned: string; onAccept: (fp: string) => void }) {
  if (!probe.ok) {
    return (
      <div role="alert" className="rounded bg-status-failed/10 p-2 text-sm">
        <strong className="text-status-failed">{probe.kind}</strong>: {probe.message}
        {probe.fingerprint && probe.pinned && probe.fingerprint !== probe.pinned ? <p className="mt-1 font-mono text-xs">pinned {probe.pinned}<br />now {probe.fingerprint}</p> : null}
      </div>
    );
  }
  const f = probe.facts;
  return (
    <div className="rounded bg-zinc-50 p-2 text-sm dark:bg-zinc-900">
      {f ? <p>{f.os.prettyName} · {f.cpus} CPU · {(f.memoryKb / 1024 / 1024).toFixed(1)} GiB · {f.arch} · kernel {f.kernel} · hostname {f.hostname}</p> : null}
      {probe.message ? <p className="text-zinc-600 dark:text-zinc-400">{probe.message}</p> : null}
      <p className="mt-1 font-mono text-xs">Host key {probe.fingerprint}</p>
      {probe.matches === false ? <p role="alert" className="text-status-failed">The host key changed since it was pinned ({probe.pinned}). Verify the host before accepting the new key.</p> : null}
      {pinned !== probe.fingerprint ? <Button className="mt-1" variant="primary" onClick={() => onAccept(probe.fingerprint)}>Accept host key</Button> : null}
    </div>
  );
}
