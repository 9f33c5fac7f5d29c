import { sh } from '../../connectors/shell-quote';
import { StepError } from '../../engine';
import { forgetRestart, markRestart, removePaths, stopAndDisable, unitState, writeUnitFiles } from '../common';
import type { ClusterSpec, KxContext, KxStep, KxTask } from '../common';
import { filesMatch, placeFiles, placementsInPlace } from '../common/host-artifacts';
import type { ArtifactNeed, Placement } from '../common/host-artifacts';
import { enableAndRestartStep } from '../common/service-step';
import { HAPROXY_HEALTH_PORT, HAPROXY_PATHS, HAPROXY_UNIT, HAPROXY_VERSION, renderHaproxyConfig, renderHaproxyUnit, runsLoadBalancer } from './render';

export function haproxyArtifacts(spec: Pick<ClusterSpec, 'kubernetes'>): ArtifactNeed[] {
  return spec.kubernetes.controlPlaneEndpoint.internalLoadbalancer === 'haproxy' ? [{ component: 'haproxy', version: HAPROXY_VERSION }] : [];
}

const placements: Placement[] = [{ artifact: { component: 'haproxy', version: HAPROXY_VERSION }, file: 'haproxy', remote: HAPROXY_PATHS.bin }];

const installHaproxy: KxStep = {
  name: 'Install haproxy',
  check: (ctx) => placementsInPlace(ctx, placements),
  run: async (ctx) => {
    await markRestart(ctx, HAPROXY_UNIT);
    await placeFiles(ctx, placements);
  },
};

const files = (spec: ClusterSpec) => [
  { path: HAPROXY_PATHS.config, content: renderHaproxyConfig(spec), mode: 0o644 },
  { path: HAPROXY_PATHS.unit, content: renderHaproxyUnit(), mode: 0o644 },
];

const writeHaproxyConfig: KxStep = {
  name: 'Write haproxy config and unit',
  writes: ({ spec }) => files(spec),
  check: (ctx) => filesMatch(ctx, files(ctx.runtime.spec)),
  run: async (ctx) => {
    await writeUnitFiles(ctx, HAPROXY_UNIT, files(ctx.runtime.spec));
    // the tool that reads it decides: a config haproxy refuses never reaches the running service
    const check = await ctx.exec(sh`${HAPROXY_PATHS.bin} -c -q -f ${HAPROXY_PATHS.config}`, { sudo: true, quiet: true });
    if (check.exitCode !== 0) throw new StepError('command', `haproxy -c refuses ${HAPROXY_PATHS.config}: ${(check.stderr || check.stdout).trim()}`);
  },
};

const enableHaproxy = enableAndRestartStep({ name: 'Enable and start haproxy', unit: HAPROXY_UNIT });

async function listening(ctx: KxContext): Promise<boolean> {
  const port = ctx.runtime.spec.kubernetes.controlPlaneEndpoint.port;
  const res = await ctx.exec(sh`ss -Hltn ${`sport = :${port}`}`, { sudo: true, quiet: true });
  return (await unitState(ctx, HAPROXY_UNIT)).active && res.stdout.includes(`127.0.0.1:${port}`);
}

const checkHaproxy: KxStep = {
  name: 'Check haproxy listens on 127.0.0.1',
  check: listening,
  run: async (ctx) => {
    const deadline = Date.now() + 15_000;
    while (!(await listening(ctx))) {
      if (Date.now() > deadline) throw new StepError('command', `${HAPROXY_UNIT} on ${ctx.host.name} is not listening on 127.0.0.1:${ctx.runtime.spec.kubernetes.controlPlaneEndpoint.port}`);
      await new Promise((r) => setTimeout(r, 300));
      ctx.signal.throwIfAborted();
    }
    ctx.log(`haproxy answers health checks on :${HAPROXY_HEALTH_PORT}/healthz`);
  },
};

/** The internal load balancer (controlPlaneEndpoint.internalLoadbalancer: haproxy): none when not configured. */
export function loadBalancerTasks(spec: ClusterSpec): KxTask[] {
  if (spec.kubernetes.controlPlaneEndpoint.internalLoadbalancer !== 'haproxy') return [];
  return [{
    name: 'Install the internal load balancer',
    runOnRoles: ['worker'],
    filter: (h) => runsLoadBalancer(spec, h),
    steps: [installHaproxy, writeHaproxyConfig, enableHaproxy, checkHaproxy],
  }];
}

const resetStep: KxStep = {
  name: 'Stop haproxy and remove its files',
  check: async () => false,
  run: async (ctx) => {
    await stopAndDisable(ctx, HAPROXY_UNIT);
    await forgetRestart(ctx, HAPROXY_UNIT);
    const removed = await removePaths(ctx, [HAPROXY_PATHS.bin, HAPROXY_PATHS.unit, HAPROXY_PATHS.dir]);
    await ctx.exec('rmdir --ignore-fail-on-non-empty -- /etc/kubexms 2>/dev/null; true', { sudo: true, quiet: true });
    await ctx.sudo('systemctl daemon-reload');
    ctx.log(removed.length > 0 ? `removed ${removed.join(' ')}` : 'nothing to remove');
  },
};

/** Every worker: the load balancer may have been on before the spec dropped it. */
export function loadBalancerResetTasks(): KxTask[] {
  return [{ name: 'Reset the internal load balancer', runOnRoles: ['worker'], steps: [resetStep] }];
}
