import { sh } from '../../connectors/shell-quote';
import type { HostContext } from '../../engine';

/** Path of each command found on the host (with sudo's PATH, which includes the sbin dirs), or null. */
export async function commandPaths(ctx: HostContext, names: readonly string[]): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = Object.fromEntries(names.map((n) => [n, null]));
  if (names.length === 0) return out;
  const res = await ctx.exec(sh`for c in ${[...names]}; do p=$(command -v "$c") && printf '%s\t%s\n' "$c" "$p"; done; true`, {
    sudo: true,
    quiet: true,
  });
  for (const line of res.stdout.split('\n')) {
    const [name, path] = line.split('\t');
    if (name && path && name in out) out[name] = path;
  }
  return out;
}
