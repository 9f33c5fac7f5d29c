'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { useAccess } from '@/components/auth/use-access';
import { useSocket } from '@/components/providers/socket-provider';
import { useTRPC } from '@/components/providers/trpc';
import { RunList } from '@/components/runs/run-list';
import { formatTime } from '@/components/ui/format';
import { StatusBadge } from '@/components/ui/status';

export function HomeClient() {
  const trpc = useTRPC();
  const clusters = useQuery(trpc.clusters.list.queryOptions());
  const { can } = useAccess();
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="clusters-h">
        <div className="mb-2 flex items-center gap-3">
          <h1 id="clusters-h" className="text-2xl font-semibold">Clusters</h1>
          {can('clusters.create').allowed ? <Link href="/clusters/new" className="ml-auto rounded-md bg-brand px-3 py-1.5 text-sm font-medium text-white">New cluster</Link> : null}
        </div>
        {clusters.isPending ? <p className="text-sm text-zinc-500">Loading…</p> : clusters.isError ? (
          <p role="alert" className="text-sm text-status-failed">{clusters.error.message}</p>
        ) : clusters.data.length === 0 ? (
          <p className="rounded border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-500 dark:border-zinc-700">No clusters yet. <Link className="text-brand underline" href="/clusters/new">Describe your first one</Link> or import a KubeKey config.</p>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
            {clusters.data.map((c) => (
              <li key={c.id} className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" data-testid={`cluster-card-${c.name}`}>
                <Link href={`/clusters/${c.id}`} className="font-medium text-brand">{c.name}</Link>
                {c.draft ? <span className="ml-2 text-xs text-zinc-500">draft</span> : null}
                <p className="text-xs text-zinc-500">{c.hostCount} hosts · updated {formatTime(c.updatedAt)}</p>
                {c.lastRun ? <p className="mt-1 text-xs"><Link href={`/runs/${c.lastRun.id}`} className="mr-1 underline">#{c.lastRun.id} {c.lastRun.pipeline}</Link><StatusBadge status={c.lastRun.status} /></p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="recent-h">
        <h2 id="recent-h" className="mb-2 text-lg font-semibold">Recent runs</h2>
        <RunList filter={{}} pageSize={10} />
      </section>
      <SystemInfo />
    </div>
  );
}

function SystemInfo() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());
  const { socket, state, transport } = useSocket();
  const [clock, setClock] = useState<number | null>(null);
  useEffect(() => {
    if (!socket) return;
    const onTick = ({ serverTime }: { serverTime: number }) => setClock(serverTime);
    const watch = () => socket.emit('clock:watch', () => undefined);
    socket.on('server:clock', onTick);
    socket.on('connect', watch);
    if (socket.connected) watch();
    return () => { socket.off('server:clock', onTick); socket.off('connect', watch); };
  }, [socket]);
  return (
    <footer className="border-t border-zinc-200 pt-3 text-xs text-zinc-500 dark:border-zinc-800">
      <dl className="flex flex-wrap gap-x-6 gap-y-1">
        <div className="flex gap-1"><dt>Server</dt><dd data-testid="server-version">{info.data ? info.data.version : info.isError ? 'unavailable' : '…'}</dd></div>
        <div className="flex gap-1"><dt>Live connection</dt><dd data-testid="socket-state" data-transport={transport ?? ''}>{state}{transport ? ` (${transport})` : ''}</dd></div>
        <div className="flex gap-1"><dt>Server clock</dt><dd data-testid="server-clock">{clock ? new Date(clock).toLocaleTimeString() : '…'}</dd></div>
      </dl>
    </footer>
  );
}
