'use client';
import { fieldWords, messageWords } from './issue-words';

export type WizardIssue = { path: string; message: string; line?: number; col?: number; source?: string };

const SHOWN = 5;

/** Every issue, in words, each a button to its field; past a few the rest fold into a disclosure. */
export function IssueList({ title, issues, hosts, onPick, testId }: {
  title: string; issues: readonly WizardIssue[]; hosts: ReadonlyArray<{ name: string }>; onPick: (path: string) => void; testId?: string;
}) {
  if (issues.length === 0) return null;
  const item = (i: WizardIssue, n: number) => (
    <li key={`${n}-${i.path}`}>
      <button type="button" onClick={() => onPick(i.path || (i.source?.startsWith('spec.roleGroups') ? 'roles' : ''))} className="text-left underline decoration-dotted underline-offset-2 hover:decoration-solid focus-visible:outline-2 focus-visible:outline-brand">
        <span className="font-medium">{i.path ? fieldWords(i.path, hosts) : i.source?.startsWith('spec.roleGroups') ? `Roles (${i.source})` : i.source || 'The file'}</span>
        {i.line ? <span className="text-zinc-600 dark:text-zinc-400"> (line {i.line}{i.col ? `:${i.col}` : ''})</span> : null}
        : {messageWords(i.message, hosts)}
      </button>
    </li>
  );
  return (
    <div role="alert" data-testid={testId} className="rounded-md border border-status-failed/50 p-3 text-sm">
      <p className="font-medium text-status-failed">{title}</p>
      <ul className="mt-1 flex list-disc flex-col gap-0.5 pl-5">{issues.slice(0, SHOWN).map(item)}</ul>
      {issues.length > SHOWN ? (
        <details className="mt-1">
          <summary className="cursor-pointer select-none">{issues.length - SHOWN} more</summary>
          <ul className="mt-1 flex list-disc flex-col gap-0.5 pl-5">{issues.slice(SHOWN).map((i, n) => item(i, n + SHOWN))}</ul>
        </details>
      ) : null}
    </div>
  );
}
