import type { Task } from '../../engine';

const onExisting = new WeakSet<object>();

/**
 * Marks a task that addNodes must still run on hosts already in the cluster (read-only work needed to join the
 * new ones, e.g. creating a join token on the first control plane). Every other task is narrowed to the new nodes.
 */
export function allowOnExistingNodes<T extends Pick<Task, 'name'>>(task: T): T {
  onExisting.add(task);
  return task;
}

export function isAllowedOnExistingNodes(task: object): boolean {
  return onExisting.has(task);
}
