import type { Hook, HookRole } from '../../contracts/spec-system';
import type { Role } from '../../contracts/spec-host';
import type { ClusterSpec, KxTask } from '../common/types';
import { chronyStep, installChronyStep } from './chrony';
import { hookStep, packagesStep, timezoneStep } from './steps';

/** KubeKey's spec.system before anything else: preInstall hooks, packages, then (unless skipConfigureOS) time zone and chrony. */
export function systemTasks(spec: ClusterSpec): KxTask[] {
  const s = spec.system;
  if (!s) return [];
  const tasks: KxTask[] = [];
  tasks.push(...hookTasks('preInstall', s.preInstall));
  if (s.debs.length || s.rpms.length) tasks.push({ name: 'Extra packages', steps: [packagesStep(s.debs, s.rpms)] });
  if (!s.skipConfigureOS) {
    const steps = [...(s.timezone ? [timezoneStep(s.timezone)] : []), ...(s.ntpServers.length ? [installChronyStep, chronyStep] : [])];
    if (steps.length) tasks.push({ name: 'Time zone and NTP', steps });
  }
  return tasks;
}

/** postInstall hooks, after Kubernetes is installed. */
export function postInstallTasks(spec: ClusterSpec): KxTask[] {
  return hookTasks('postInstall', spec.system?.postInstall ?? []);
}

const HOSTS_OF: Record<HookRole, Role[]> = { etcd: ['etcd'], 'control-plane': ['control-plane'], worker: ['worker'], k8s: ['control-plane', 'worker'] };

/** Hooks in their order; neighbours with the same role share a task, a role limits its task to those hosts (KubeKey's GetHostsByRole). */
function hookTasks(phase: 'preInstall' | 'postInstall', hooks: readonly Hook[]): KxTask[] {
  const groups: { role: HookRole | undefined; steps: KxTask['steps'][number][] }[] = [];
  hooks.forEach((h, i) => {
    const last = groups.at(-1);
    if (last && last.role === h.role) last.steps.push(hookStep(phase, h, i));
    else groups.push({ role: h.role, steps: [hookStep(phase, h, i)] });
  });
  return groups.map(({ role, steps }) => (role ? { name: `${phase} scripts (${role})`, runOnRoles: HOSTS_OF[role], steps } : { name: `${phase} scripts`, steps }));
}
