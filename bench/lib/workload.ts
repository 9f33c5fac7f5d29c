import { randomBytes } from 'node:crypto';
import { shellQuote } from '../../server/connectors/shell-quote';

/** One trivial step: check = `test -e <marker>` (never there, so the step runs), run = `true`. */
export type TrivialStep = { name: string; check: string; run: string; marker: string };

export function trivialSteps(count: number): TrivialStep[] {
  const tag = randomBytes(4).toString('hex');
  return Array.from({ length: count }, (_, s) => {
    const marker = `/tmp/kx-bench-${tag}-${s + 1}`;
    return { name: `step ${s + 1}`, marker, check: `test -e ${shellQuote(marker)}`, run: 'true' };
  });
}
