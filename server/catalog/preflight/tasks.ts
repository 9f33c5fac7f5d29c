import { DEFAULT_CONCURRENCY } from '../../engine';
import { allowOnExistingNodes } from '../common/add-nodes';
import type { ClusterSpec, KxModule, KxStep, KxTask } from '../common/types';
import { firewallStep, restoreFstabSwapStep, swapStep } from './fix-steps';
import { packageSourcesStep } from './package-sources';
import { reportStep } from './report-step';
import { checksIpvs, checksPackages } from './report';
import { ipvsModulesStep } from './ipvs-modules';
import { clockStep, commandsStep, cpuStep, diskStep, gatherFactsStep, hostnameStep, measureClockStep, memoryStep, osStep, portsStep } from './steps';

export type PreflightOptions = {
  /** false (preflightOnly): swap and firewall are reported, not changed */
  fix?: boolean;
};

/**
 * Facts are gathered first on every host (so the hostname comparison sees all of them), then each check is its own
 * task with ignoreError: every check runs on every host and a failure shows on its own cell; "Preflight report" logs
 * the per-host table and fails the module when any check failed. Check tasks only evaluate cached facts, so they
 * start every host at once (a failure cancels only cells that have not started).
 */
export function preflightModule(spec: ClusterSpec, options: PreflightOptions = {}): KxModule {
  const fix = options.fix ?? true;
  const all = Math.max(DEFAULT_CONCURRENCY, spec.hosts.length);
  const check = (name: string, step: KxStep): KxTask => ({ name, steps: [step], ignoreError: true, concurrency: all });
  return {
    name: 'Preflight',
    tasks: [
      allowOnExistingNodes({ name: 'Gather host facts', steps: [gatherFactsStep, measureClockStep] }),
      check('OS', osStep),
      check('CPU', cpuStep),
      check('Memory', memoryStep),
      check('Swap', swapStep(fix)),
      check('Firewall', firewallStep(spec.preflight.firewall, fix)),
      check('Ports', portsStep),
      check('Hostname', hostnameStep),
      check('Clock skew', clockStep),
      check('Commands', commandsStep),
      check('Disk space', diskStep),
      ...(spec.system && checksPackages(spec) ? [check('Package sources', packageSourcesStep(spec.system.debs, spec.system.rpms))] : []),
      ...(checksIpvs(spec) ? [check('IPVS modules', ipvsModulesStep)] : []),
      { name: 'Preflight report', steps: [reportStep], concurrency: all },
    ],
  };
}

export function preflightResetTasks(_spec: ClusterSpec): KxTask[] {
  return [{ name: 'Restore swap in fstab', steps: [restoreFstabSwapStep] }];
}
