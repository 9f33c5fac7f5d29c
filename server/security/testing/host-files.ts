import { labControl } from '../../../e2e/hosts/fixture';

const archive = (tag: string) => `/root/.kxms-security-${tag}.tar`;

async function must(i: number, command: string): Promise<void> {
  const res = await labControl.exec(i, command);
  if (res.code !== 0) throw new Error(`lab host n${i}: exit ${res.code}: ${res.stderr.trim()}`);
}

/** Saves those of the absolute paths that exist on host i (with owners and modes); restorePaths puts exactly them back. */
export function backupPaths(i: number, paths: readonly string[], tag: string): Promise<void> {
  const rel = paths.map((p) => p.replace(/^\/+/, '')).join(' ');
  return must(i, `set -- ; for p in ${rel}; do [ -e "/$p" ] && set -- "$@" "$p"; done; tar -C / -cpf ${archive(tag)} --files-from /dev/null "$@"`);
}

/** Removes the paths and unpacks what backupPaths saved. */
export function restorePaths(i: number, paths: readonly string[], tag: string): Promise<void> {
  return must(i, `rm -rf ${paths.join(' ')} && tar -C / -xpf ${archive(tag)} && rm -f ${archive(tag)}`);
}
