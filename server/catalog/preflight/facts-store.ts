import { cacheKey, StepError, type CacheKey } from '../../engine';
import type { KxContext } from '../common/types';
import type { ClockSample, HostFacts } from './facts';

const FACTS_KEY = cacheKey<Map<string, HostFacts>>('preflight:facts');
const CLOCK_KEY = cacheKey<Map<string, ClockSample[]>>('preflight:clock');

function hostMap<T>(ctx: KxContext, key: CacheKey<Map<string, T>>): Map<string, T> {
  return ctx.runtime.cache.ensure(key, () => new Map());
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
