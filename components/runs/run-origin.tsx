import Link from 'next/link';
import type { RunInfo } from '@/server/contracts/run-types';

/** "retry of #N", or "rerun of the failed hosts of #N: a, b" with the hosts it ran on; nothing for a first run. */
export function RunOrigin({ run, compare = false, className = 'text-sm' }: { run: Pick<RunInfo, 'id' | 'parentRunId' | 'options' | 'hosts'>; compare?: boolean; className?: string }) {
  const parent = run.parentRunId;
  if (!parent) return null;
  const failedHosts = run.options.repeat === 'failedHosts';
  return (
    <span className={className} data-testid="run-origin" data-repeat={failedHosts ? 'failedHosts' : 'retry'}>
      {failedHosts ? (
        <>rerun of the failed hosts of <Link className="underline" href={`/runs/${parent}`}>#{parent}</Link>: <span data-testid="rerun-hosts">{(run.options.onlyHosts ?? run.hosts).join(', ')}</span></>
      ) : <Link className="underline" href={`/runs/${parent}`}>retry of #{parent}</Link>}
      {compare ? <>{' · '}<Link className="underline" href={`/runs/compare?a=${parent}&b=${run.id}`}>compare</Link></> : null}
    </span>
  );
}
