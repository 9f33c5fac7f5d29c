'use client';
import Link from 'next/link';
import { stripAnsi } from './ansi';
import type { FailurePoint } from './failure-focus';
import { failureHint } from './failure-hints';

type Props = { failure: FailurePoint | null; reason: string | null; stderrTail: string | null; clusterId: number | null; onShow?: () => void };

/** The top of a failed run: what failed where, the message, the stderr tail and what to do next. */
export function FailureSummary({ failure, reason, stderrTail, clusterId, onShow }: Props) {
  const message = failure?.message ?? reason;
  const hint = failureHint(failure?.kind ?? null, message);
  const fixHref = clusterId && hint.fixAt ? `/clusters/${clusterId}/edit` : null;
  return (
    <section aria-labelledby="failure-title" data-testid="failure-summary" className="flex flex-col gap-2 rounded-lg border border-status-failed/60 bg-status-failed/5 p-3">
      <h2 id="failure-title" className="flex flex-wrap items-baseline gap-x-2 font-semibold">
        <span aria-hidden className="text-status-failed">✕</span>
        {failure ? (
          <>
            <span data-testid="failure-step">{failure.module} › {failure.task} › {failure.step}</span>
            <span className="font-mono text-sm font-normal">on {failure.hosts.join(', ')}</span>
          </>
        ) : <span>The run failed before any step</span>}
        {failure?.kind ? <span className="rounded border border-status-failed/60 px-1.5 text-xs font-medium" data-testid="failure-kind">{failure.kind}</span> : null}
      </h2>
      {message ? <p className="text-sm" data-testid="failure-message">{message}</p> : null}
      {stderrTail ? <pre aria-label="stderr tail" tabIndex={0} className="max-h-32 overflow-auto whitespace-pre-wrap rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900">{stripAnsi(stderrTail)}</pre> : null}
      <div className="rounded border border-zinc-200 bg-white p-2 text-sm dark:border-zinc-800 dark:bg-zinc-950" data-testid="failure-hint">
        <p className="font-medium">What to do: {hint.title}</p>
        <p className="text-zinc-700 dark:text-zinc-300">{hint.text}</p>
        <p className="mt-1 flex gap-3">
          {fixHref ? <Link className="text-brand underline" href={fixHref}>Edit the cluster</Link> : null}
          {failure && onShow ? <button type="button" className="text-brand underline" onClick={onShow}>Show the failed cell</button> : null}
        </p>
      </div>
    </section>
  );
}
