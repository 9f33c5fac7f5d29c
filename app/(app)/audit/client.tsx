'use client';
import { useTRPC, useTRPCClient } from '@/components/providers/trpc';
import { useCursorPages } from '@/components/providers/use-cursor-pages';
import { Button } from '@/components/ui/button';
import { formatTime } from '@/components/ui/format';

export function AuditClient() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const q = useCursorPages([...trpc.audit.list.pathKey(), { limit: 50 }], (cursor) => client.audit.list.query({ limit: 50, cursor }));
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      {q.isPending ? <p className="text-sm text-zinc-500">Loading…</p> : q.isError ? <p role="alert" className="text-status-failed">{q.error.message}</p> : (
        <>
          <table className="w-full text-sm" data-testid="audit-list">
            <thead><tr className="text-left text-xs uppercase text-zinc-500"><th className="py-1">When</th><th>Who</th><th>Action</th><th>Target</th><th>From</th><th>Detail</th></tr></thead>
            <tbody>
              {q.data.pages.flatMap((p) => p.items).map((e) => (
                <tr key={e.id} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                  <td className="py-1 text-xs whitespace-nowrap">{formatTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td className="font-mono text-xs">{e.action}</td>
                  <td className="font-mono text-xs">{e.target ?? ''}</td>
                  <td className="text-xs">{e.address ?? ''}</td>
                  <td className="max-w-md truncate font-mono text-xs" title={e.detail ? JSON.stringify(e.detail) : ''}>{e.detail ? JSON.stringify(e.detail) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {q.hasNextPage ? <Button onClick={() => void q.fetchNextPage()}>Load more</Button> : null}
        </>
      )}
    </div>
  );
}
