import { existingPaths, removePaths } from '../common/files';
import type { ClusterSpec, KxModule, KxStep, KxTask } from '../common/types';
import { checkIpvsTools, IPVS_MODULES, usesIpvs } from './ipvs';
import { systemTasks } from '../system/tasks';
import { KERNEL_MODULES, MODULES_LOAD_FILE, SYSCTL_FILE, SYSCTLS } from './config';
import { loadModulesStep, sysctlStep } from './steps';

/** KubeKey's system section first (hooks, packages, time); ipvs adds its modules and a check of its tools; skipConfigureOS leaves the kernel as it is. */
export function kernelModule(spec: ClusterSpec): KxModule {
  const system = systemTasks(spec);
  if (spec.system?.skipConfigureOS) return { name: 'Kernel', tasks: [...system, { name: 'Kernel modules and sysctls', steps: [skippedByUser] }] };
  const ipvs = usesIpvs(spec);
  const modules = ipvs ? [...KERNEL_MODULES, ...IPVS_MODULES] : KERNEL_MODULES;
  return {
    name: 'Kernel',
    tasks: [...system, { name: 'Kernel modules and sysctls', steps: [loadModulesStep(modules), sysctlStep(SYSCTLS), ...(ipvs ? [checkIpvsTools] : [])] }],
  };
}

const skippedByUser: KxStep = {
  name: 'Kernel modules and sysctls (skipConfigureOS: left as they are)',
  check: async () => true,
  run: async () => undefined,
};

/** Removes the two files kubexms wrote; live values stay until the next boot (the defaults they replaced are unknown). */
export function kernelResetTasks(_spec: ClusterSpec): KxTask[] {
  const files = [MODULES_LOAD_FILE, SYSCTL_FILE];
  return [
    {
      name: 'Remove kernel settings',
      steps: [
        {
          name: 'Remove kubexms kernel files',
          check: async (ctx) => (await existingPaths(ctx, files)).length === 0,
          run: async (ctx) => {
            const removed = await removePaths(ctx, files);
            ctx.log(`removed ${removed.join(', ')}`);
          },
        },
      ],
    },
  ];
}
