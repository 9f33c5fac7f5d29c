import { existsSync } from 'node:fs';
import type { ClusterSpec, Host as SpecHost } from '../../server/contracts/cluster-spec';
import type { Pipeline, Step } from '../../server/engine';
import { shellQuote } from '../../server/connectors/shell-quote';

export const LIVE_PIPELINE = 'bench:live';

export type LiveParams = { steps: number; linesPerStep: number; stepMs: number; goFile: string };

export function liveParamsFromEnv(env: NodeJS.ProcessEnv = process.env): LiveParams {
  return {
    steps: Number(env.KX_BENCH_LIVE_STEPS ?? 40),
    linesPerStep: Number(env.KX_BENCH_LIVE_LINES ?? 20),
    stepMs: Number(env.KX_BENCH_LIVE_STEP_MS ?? 2000),
    goFile: env.KX_BENCH_LIVE_GO ?? '/nonexistent',
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A gate on the first host (held until the browser is watching), then `steps` steps on every host: each prints linesPerStep lines remotely and lasts stepMs. */
export function livePipeline(spec: ClusterSpec, p: LiveParams): Pipeline<ClusterSpec, SpecHost> {
  const first = spec.hosts[0]?.name;
  const gate: Step<ClusterSpec, SpecHost> = {
    name: 'Wait for the browser',
    check: async () => false,
    run: async (ctx) => {
      while (!existsSync(p.goFile) && !ctx.signal.aborted) await pause(50, ctx.signal);
    },
  };
  const steps: Step<ClusterSpec, SpecHost>[] = Array.from({ length: p.steps }, (_, s) => ({
    name: `step ${s + 1}`,
    check: async (ctx) => (await ctx.exec(`test -e ${shellQuote(`/tmp/kx-bench-live-${s + 1}`)}`)).exitCode === 0,
    run: async (ctx) => {
      const t0 = Date.now();
      const text = `step ${s + 1} line $i: Setting up containerd (1.6.20~ds1-1+b1) ... unpacking`;
      await ctx.run(`i=0; while [ $i -lt ${p.linesPerStep} ]; do i=$((i+1)); echo "${text}"; done`);
      await pause(p.stepMs - (Date.now() - t0), ctx.signal);
    },
  }));
  return {
    name: LIVE_PIPELINE,
    modules: [
      {
        name: 'Live bench',
        tasks: [
          { name: 'Gate', steps: [gate], filter: (h) => h.name === first },
          { name: 'Steps', steps, concurrency: spec.hosts.length },
        ],
      },
    ],
  };
}
