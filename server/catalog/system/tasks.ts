import type { ClusterSpec, KxTask } from '../common/types';
import { chronyStep, installChronyStep } from './chrony';
import { hookStep, packagesStep, timezoneStep } from './steps';

/** KubeKey's spec.system before anything else: preInstall hooks, packages, then (unless skipConfigureOS) time zone and chrony. */
export function systemTasks(spec: ClusterSpec): KxTask[] {
  const s = spec.system;
  if (!s) return [];
  const tasks: KxTask[] = [];
  if (s.preInstall.length) tasks.push({ name: 'preInstall scripts', steps: s.preInstall.map((h, i) => hookStep('preInstall', h, i)) });
  if (s.debs.length || s.rpms.length) tasks.push({ name: 'Extra packages', steps: [packagesStep(s.debs, s.rpms)] });
  if (!s.skipConfigureOS) {
    const steps = [...(s.timezone ? [timezoneStep(s.timezone)] : []), ...(s.ntpServers.length ? [installChronyStep, chronyStep] : [])];
    if (steps.length) tasks.push({ name: 'Time zone and NTP', steps });
  }
  return tasks;
}

/** postInstall hooks, after Kubernetes is installed. */
export function postInstallTasks(spec: ClusterSpec): KxTask[] {
  const hooks = spec.system?.postInstall ?? [];
  return hooks.length ? [{ name: 'postInstall scripts', steps: hooks.map((h, i) => hookStep('postInstall', h, i)) }] : [];
}
