import { sh } from '../../connectors/shell-quote';
import type { Connector } from '../../connectors/connector';
import { MACHINE_ARCH } from '../common/host-artifacts';
import { osFamily, parseOsRelease } from '../common/os-release';
import type { HostFacts } from '../common/types';

export type HostFile = { content: string; mode: number } | null;
export type HostRead = { facts: HostFacts; files: Map<string, HostFile> };

/** One read-only command (through sudo: keys and kubeadm configs are 0600): the machine, os-release and each file. */
export async function readHost(connector: Connector, paths: readonly string[], signal?: AbortSignal): Promise<HostRead> {
  const cmd = sh`uname -m; cat /etc/os-release; for f in ${[...paths]}; do if [ -f "$f" ]; then printf '\n@@file %s %s\n' "$(stat -c %a -- "$f")" "$f"; base64 -w0 -- "$f"; else printf '\n@@none %s\n' "$f"; fi; done`;
  const res = await connector.exec(cmd, { sudo: true, signal });
  if (res.exitCode !== 0) throw new Error(`reading the files failed (exit ${res.exitCode}): ${res.stderr.trim().split('\n').pop() ?? ''}`);
  const [head = '', ...parts] = res.stdout.split('\n@@');
  const machine = head.split('\n')[0]?.trim() ?? '';
  const facts: HostFacts = { arch: MACHINE_ARCH[machine] ?? machine, osFamily: osFamily(parseOsRelease(head.split('\n').slice(1).join('\n'))) };
  const files = new Map<string, HostFile>();
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const title = nl < 0 ? part : part.slice(0, nl);
    const file = /^file ([0-7]+) (.+)$/.exec(title);
    if (file) files.set(file[2]!, { mode: Number.parseInt(file[1]!, 8), content: Buffer.from(part.slice(nl + 1).trim(), 'base64').toString('utf8') });
    else if (title.startsWith('none ')) files.set(title.slice(5), null);
  }
  return { facts, files };
}
