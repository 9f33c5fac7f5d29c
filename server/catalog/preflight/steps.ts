import { StepError } from '../../engine';
import { specHostOf } from '../common/hosts';
import type { KxContext, KxStep } from '../common/types';
import { evaluateClock, evaluateCommands, evaluateCpu, evaluateDisk, evaluateHostname, evaluateMemory, evaluateOs, evaluatePorts } from './checks';
import { FACTS_SCRIPT, parseFacts } from './facts';
import type { ClockSample, HostFacts } from './facts';
import { clockOf, factsOf, gatheredHostnames, saveClock, saveFacts } from './facts-store';
import { describeResult, recordCheck } from './report';
import type { CheckId, CheckResult } from './report';

const CLOCK_SAMPLES = 3;

export const gatherFactsStep: KxStep = {
  name: 'Gather host facts',
  check: async () => false,
  run: async (ctx) => {
    const res = await ctx.sudo(FACTS_SCRIPT, { quiet: true, label: 'read host facts (os-release, nproc, meminfo, swaps, fstab, ss, df, firewall)' });
    const f = parseFacts(res.stdout);
    saveFacts(ctx, f);
    ctx.log(`${f.hostname}: ${f.os.prettyName}, ${f.cpus ?? '?'} CPUs, MemTotal ${f.memTotalKb ?? '?'} kB, ${f.listeners?.length ?? '?'} listening sockets`);
  },
};

/** Offset of the host clock from this process's clock, from the midpoint of each round trip. */
export const measureClockStep: KxStep = {
  name: 'Measure clock skew',
  check: async () => false,
  run: async (ctx) => {
    const samples: ClockSample[] = [];
    for (let i = 0; i < CLOCK_SAMPLES; i++) {
      const t0 = Date.now();
      const res = await ctx.run('date +%s.%N', { quiet: true });
      const t1 = Date.now();
      const remoteMs = Number.parseFloat(res.stdout.trim()) * 1000;
      if (Number.isFinite(remoteMs)) samples.push({ offsetMs: remoteMs - (t0 + t1) / 2, rttMs: t1 - t0 });
    }
    saveClock(ctx, samples);
    ctx.log(`clock offsets (ms): ${samples.map((s) => `${s.offsetMs.toFixed(1)} ±${(s.rttMs / 2).toFixed(1)}`).join(', ')}`);
  },
};

/** Records the result; a failed check fails its step with the measured value in the message. */
export function recordOrFail(ctx: KxContext, result: CheckResult): void {
  recordCheck(ctx, result);
  if (result.status === 'failed') throw new StepError('command', describeResult(result));
}

/** A read-only check evaluated from the gathered facts; an unexpected error is recorded as a failed row too. */
export function factCheckStep(check: CheckId, name: string, evaluate: (ctx: KxContext, facts: HostFacts) => CheckResult): KxStep {
  return {
    name,
    check: async () => false,
    run: async (ctx) => {
      let result: CheckResult;
      try {
        result = evaluate(ctx, factsOf(ctx));
      } catch (err) {
        recordCheck(ctx, { check, status: 'failed', measured: `error: ${(err as Error).message}`, expected: 'a readable value' });
        throw err;
      }
      recordOrFail(ctx, result);
    },
  };
}

const prefs = (ctx: KxContext) => ctx.runtime.spec.preflight;
const roles = (ctx: KxContext) => specHostOf(ctx).roles;

export const osStep = factCheckStep('os', 'Check OS', (_ctx, f) => evaluateOs(f.os));
export const cpuStep = factCheckStep('cpu', 'Check CPU cores', (ctx, f) => evaluateCpu(f.cpus, roles(ctx), prefs(ctx)));
export const memoryStep = factCheckStep('memory', 'Check memory', (ctx, f) => evaluateMemory(f.memTotalKb, roles(ctx), prefs(ctx)));
export const portsStep = factCheckStep('ports', 'Check ports', (ctx, f) => evaluatePorts(f.listeners, f.processes, roles(ctx)));
export const hostnameStep = factCheckStep('hostname', 'Check hostname', (ctx) => evaluateHostname(ctx.host.name, gatheredHostnames(ctx)));
export const clockStep = factCheckStep('time-skew', 'Check clock skew', (ctx) => evaluateClock(clockOf(ctx), prefs(ctx).maxTimeSkewSeconds));
export const commandsStep = factCheckStep('commands', 'Check commands', (_ctx, f) => evaluateCommands(f.commands, f.os));
export const diskStep = factCheckStep('disk', 'Check disk space', (ctx, f) => evaluateDisk(f.disks, prefs(ctx).minDiskGb));
