import type { RunPlan } from '@/server/contracts/run-types';

/** Which tasks of a pipeline run on which hosts (the wizard's review, add nodes' review). */
export function PlanTable({ plan }: { plan: RunPlan }) {
  return (
    // scrollable, so it must take the keyboard focus (axe: scrollable-region-focusable)
    <div tabIndex={0} role="region" aria-label="Plan" className="max-h-[50vh] overflow-auto rounded border border-zinc-200 focus-visible:outline-2 focus-visible:outline-brand dark:border-zinc-800">
      <table className="w-full text-sm [&_td]:px-2 [&_td]:py-1" data-testid="review-plan">
        {plan.modules.map((m) => (
          <tbody key={m.id}>
            <tr className="bg-zinc-50 dark:bg-zinc-900"><th colSpan={2} scope="colgroup" className="px-2 py-1 text-left font-semibold">{m.name}</th></tr>
            {m.tasks.map((t) => (
              <tr key={t.id} className="border-t border-zinc-100 dark:border-zinc-800/60">
                <td className="pl-4">{t.name}</td>
                <td className="text-zinc-600 dark:text-zinc-400">{hostList(t.hosts, plan.hosts.length)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function hostList(hosts: readonly string[], all: number): string {
  if (hosts.length === 0) return 'no hosts';
  const names = hosts.length > 8 ? `${hosts.slice(0, 6).join(', ')} … +${hosts.length - 6}` : hosts.join(', ');
  return hosts.length === all && all > 1 ? `all ${all}: ${names}` : names;
}
