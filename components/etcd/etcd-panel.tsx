'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/components/providers/trpc';
import { GuardedButton } from '@/components/auth/guarded-button';
import { Button } from '@/components/ui/button';
import { formatTime } from '@/components/ui/format';

const cell = '[&_td]:py-1.5 [&_td]:pr-4 [&_th]:py-1 [&_th]:pr-4 [&_th]:font-medium';
const head = 'text-left text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400';
const input = 'w-20 rounded-md border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700';

/** etcd day 2 on the cluster page: certificate expiry, backups (guarded restore), schedule, renewal and rolling changes. */
export function EtcdPanel({ clusterId, clusterName, disabled }: { clusterId: number; clusterName: string; disabled: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const backups = useQuery(trpc.etcd.backups.queryOptions({ clusterId }));
  const certs = useQuery(trpc.etcd.certificates.queryOptions({ clusterId }));
  const schedule = useQuery(trpc.etcd.schedule.queryOptions({ clusterId }));
  const toRun = { onSuccess: (r: { runId: number }) => router.push(`/runs/${r.runId}`), onError: (e: { message: string }) => setMessage(e.message) };
  const backup = useMutation(trpc.etcd.backup.mutationOptions(toRun));
  const restore = useMutation(trpc.etcd.restore.mutationOptions(toRun));
  const renew = useMutation(trpc.etcd.renewCerts.mutationOptions(toRun));
  const roll = useMutation(trpc.etcd.roll.mutationOptions(toRun));
  const save = useMutation(trpc.etcd.setSchedule.mutationOptions({ onSuccess: () => { setMessage('Schedule saved'); void qc.invalidateQueries(); }, onError: (e) => setMessage(e.message) }));
  const busy = disabled || backup.isPending || restore.isPending || renew.isPending || roll.isPending;

  const onSchedule = (form: FormData) => {
    const n = (k: string) => Number(form.get(k));
    save.mutate({ clusterId, enabled: form.get('enabled') === 'on', everyMinutes: n('everyHours') * 60, keepLast: n('keepLast'), maxAgeDays: n('maxAgeDays') });
  };

  return (
    <section aria-labelledby="etcd-h" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="etcd-h" className="text-lg font-semibold">etcd</h2>
        <div className="ml-auto flex flex-wrap gap-2">
          <GuardedButton procedure="etcd.backup" disabled={busy} onClick={() => backup.mutate({ clusterId })}>Back up now</GuardedButton>
          <GuardedButton procedure="etcd.renewCerts" disabled={busy} onClick={() => renew.mutate({ clusterId })}>Renew certificates</GuardedButton>
          <GuardedButton procedure="etcd.roll" disabled={busy} onClick={() => roll.mutate({ clusterId })}>Roll etcd changes</GuardedButton>
        </div>
      </div>
      {message ? <p role="status" className="text-sm">{message}</p> : null}
      <h3 className="font-medium">Backups</h3>
      <table className={`w-full text-sm ${cell}`}>
        <thead><tr className={head}><th>Backup</th><th>Taken</th><th>Revision</th><th>Keys</th><th>Size</th><th>sha256</th><th><span className="sr-only">Restore</span></th></tr></thead>
        <tbody>
          {(backups.data ?? []).map((b) => (
            <tr key={b.id} className="border-t border-zinc-200 dark:border-zinc-800">
              <td className="font-mono">#{b.id}</td><td>{formatTime(b.createdAt)}</td><td>{b.revision}</td><td>{b.totalKeys}</td><td>{Math.ceil(b.sizeBytes / 1024)} KiB</td>
              <td className="font-mono text-xs">{b.sha256.slice(0, 16)}…</td>
              <td>{restoring === b.id ? null : <GuardedButton procedure="etcd.restore" variant="danger" disabled={busy} onClick={() => { setRestoring(b.id); setTyped(''); }}>Restore…</GuardedButton>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {backups.data?.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">No backups yet.</p> : null}
      {restoring !== null ? (
        <form className="flex flex-wrap items-center gap-2 rounded-md border border-red-700 p-3 text-sm" onSubmit={(e) => { e.preventDefault(); restore.mutate({ clusterId, backupId: restoring, confirmName: typed }); }}>
          <label className="flex items-center gap-2">
            <span>Restoring backup #{restoring} stops etcd on every member. Type <b>{clusterName}</b> to confirm</span>
            <input value={typed} onChange={(e) => setTyped(e.target.value)} className="rounded-md border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700" autoComplete="off" />
          </label>
          <Button type="submit" variant="danger" disabled={busy || typed !== clusterName}>Restore backup #{restoring}</Button>
          <Button variant="ghost" onClick={() => setRestoring(null)}>Cancel</Button>
        </form>
      ) : null}
      {schedule.data ? (
        <form key={JSON.stringify(schedule.data)} className="flex flex-wrap items-center gap-3 text-sm" action={onSchedule}>
          <label className="flex items-center gap-1"><input type="checkbox" name="enabled" defaultChecked={schedule.data.enabled} /> Scheduled backups</label>
          <label className="flex items-center gap-1">every <input name="everyHours" type="number" min={1} max={168} defaultValue={Math.max(1, Math.round(schedule.data.everyMinutes / 60))} className={input} /> h</label>
          <label className="flex items-center gap-1">keep last <input name="keepLast" type="number" min={1} max={1000} defaultValue={schedule.data.keepLast} className={input} /></label>
          <label className="flex items-center gap-1">max age <input name="maxAgeDays" type="number" min={1} max={3650} defaultValue={schedule.data.maxAgeDays} className={input} /> days</label>
          <GuardedButton procedure="etcd.setSchedule" type="submit" disabled={save.isPending}>Save schedule</GuardedButton>
        </form>
      ) : null}
      <h3 className="font-medium">Certificates</h3>
      <table className={`w-full text-sm ${cell}`}>
        <thead><tr className={head}><th>Certificate</th><th>Kind</th><th>Expires</th><th>Days left</th></tr></thead>
        <tbody>
          {(certs.data ?? []).map((c) => (
            <tr key={c.name} className="border-t border-zinc-200 dark:border-zinc-800"><td className="font-mono">{c.name}</td><td>{c.kind}</td><td>{formatTime(c.notAfter)}</td><td>{c.daysLeft}</td></tr>
          ))}
        </tbody>
      </table>
      {certs.data?.length === 0 ? <p className="text-sm text-zinc-600 dark:text-zinc-400">No etcd certificates issued yet (Create cluster issues them).</p> : null}
    </section>
  );
}
