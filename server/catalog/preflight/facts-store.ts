import { StepError } from '../../engine';
import type { KxContext } from '../common/types';
import type { ClockSample, HostFacts } from './facts';

const FACTS_KEY = 'preflight:facts';
const CLOCK_KEY = 'preflight:clock';

function hostMap<T>(ctx: KxContext, key: string): Map<string, T> {
  let m = ctx.runtime.cache.get(key) as Map<string, T> | undefined;
  if (!m) ctx.runtime.cache.set(key, (m = new Map()));
  return m;
}

export const saveFacts = (ctx: KxContext, facts: HostFacts) => void hostMap<HostFacts>(ctx, FACTS_KEY).set(ctx.host.name, facts);
export const saveClock = (ctx: KxContext, samples: ClockSample[]) => void hostMap<ClockSample[]>(ctx, CLOCK_KEY).set(ctx.host.name, samples);

export function factsOf(ctx: KxContext): HostFacts {
  const facts = hostMap<HostFacts>(ctx, FACTS_KEY).get(ctx.host.name);
  if (!facts) throw new StepError('internal', `no host facts for ${ctx.host.name}: the "Gather host facts" task did not run on it`);
  return facts;
}

export const clockOf = (ctx: KxContext): ClockSample[] => hostMap<ClockSample[]>(ctx, CLOCK_KEY).get(ctx.host.name) ?? [];

/** Hostnames of every host whose facts were gathered in this run (all hosts, including existing ones on addNodes). */
export const gatheredHostnames = (ctx: KxContext): Map<string, string> =>
  new Map([...hostMap<HostFacts>(ctx, FACTS_KEY)].map(([host, f]) => [host, f.hostname]));
