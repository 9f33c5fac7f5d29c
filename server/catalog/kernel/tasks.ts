import { existingPaths, removePaths } from '../common/files';
import type { ClusterSpec, KxModule, KxTask } from '../common/types';
import { KERNEL_MODULES, MODULES_LOAD_FILE, SYSCTL_FILE, SYSCTLS } from './config';
import { loadModulesStep, sysctlStep } from './steps';

export function kernelModule(_spec: ClusterSpec): KxModule {
  return {
    name: 'Kernel',
    tasks: [{ name: 'Kernel modules and sysctls', steps: [loadModulesStep(KERNEL_MODULES), sysctlStep(SYSCTLS)] }],
  };
}

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
