'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ClusterSpecDraft } from '@/server/contracts/cluster-spec';
import { useTRPC } from '@/components/providers/trpc';

/** What a create run leaves on each host (as `kubexms spec render` prints it): no host is touched, secrets are never sent. */
export function ReviewFiles({ spec }: { spec: ClusterSpecDraft }) {
  const trpc = useTRPC();
  const files = useQuery(trpc.preview.files.queryOptions({ spec }));
  const [host, setHost] = useState<string | null>(null);
  if (!files.data) return <p className="text-sm text-zinc-600 dark:text-zinc-400">{files.isError ? files.error.message : 'Rendering…'}</p>;
  const current = files.data.find((h) => h.host === host) ?? files.data[0];
  if (!current) return <p className="text-sm">No hosts.</p>;
  return (
    <div className="flex flex-col gap-2" data-testid="review-files">
      <div className="flex items-center gap-2">
        <label htmlFor="review-files-host" className="text-sm">Host</label>
        <select id="review-files-host" value={current.host} onChange={(e) => setHost(e.target.value)} className="rounded border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900">
          {files.data.map((h) => <option key={h.host} value={h.host}>{h.host} ({h.roles.join(', ')})</option>)}
        </select>
        <span className="text-sm text-zinc-600 dark:text-zinc-400">{current.files.length} files</span>
      </div>
      <ul className="max-h-[50vh] overflow-auto rounded border border-zinc-200 text-sm dark:border-zinc-800">
        {current.files.map((f) => (
          <li key={`${f.kind}:${f.path}`} className="border-t border-zinc-100 first:border-t-0 dark:border-zinc-800/60">
            <details>
              <summary className="cursor-pointer px-2 py-1">
                <code>{f.path}</code> <span className="text-zinc-600 dark:text-zinc-400">{f.kind === 'command' ? 'command' : f.mode}{f.kind === 'block' ? ' · block' : ''}{f.transient ? ' · removed after use' : ''} · {f.step}</span>
              </summary>
              {f.note ? <p className="px-2 text-zinc-600 dark:text-zinc-400">{f.note}</p> : null}
              {f.content !== null ? <pre tabIndex={0} className="mx-2 mb-2 overflow-auto rounded bg-zinc-950 p-2 text-xs text-zinc-100">{f.content}</pre> : null}
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
