import { IPVS_ADVICE, isIpvsModule } from './ipvs';

export type Unloadable = { module: string; message: string };

/** `module<TAB>modprobe's message` lines, one per module modprobe refused (the message on one line). */
export function parseUnloadable(text: string): Unloadable[] {
  return text.split('\n').flatMap((line) => {
    const tab = line.indexOf('\t');
    if (tab <= 0) return [];
    return [{ module: line.slice(0, tab), message: line.slice(tab + 1).trim() || 'modprobe failed without a message' }];
  });
}

/** modprobe's words, once per wording: four "Module X not found in directory D" become one line and "likewise Y, Z". */
export function summarizeModprobe(failed: readonly Unloadable[]): string {
  const groups = new Map<string, Unloadable[]>();
  for (const f of failed) {
    const shape = f.message.split(f.module).join('\u0000');
    groups.set(shape, [...(groups.get(shape) ?? []), f]);
  }
  return [...groups.values()]
    .map(([first, ...same]) => `${first!.message}${same.length ? ` (likewise ${same.map((f) => f.module).join(', ')})` : ''}`)
    .join('; ');
}

/** One error for every module the kernel refused: their names, modprobe's own words, and what to do. */
export function describeUnloadable(host: string, failed: readonly Unloadable[]): string {
  const names = failed.map((f) => f.module);
  const advice = names.some(isIpvsModule)
    ? IPVS_ADVICE
    : 'Kubernetes needs them (overlay for containerd, br_netfilter for bridged pod traffic): use a kernel that has them';
  return `the kernel on ${host} cannot load ${names.join(', ')} (${summarizeModprobe(failed)}). ${advice}`;
}
