export type OsRelease = { id: string; idLike: string[]; versionId: string; prettyName: string; versionCodename: string };

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\([\\$"`])/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

/** /etc/os-release (freedesktop format: KEY=value, optionally quoted, # comments). */
export function parseOsRelease(text: string): OsRelease {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, unquote(m[2]!));
  }
  const get = (k: string) => vars.get(k) ?? '';
  return {
    id: get('ID').toLowerCase() || 'linux',
    idLike: get('ID_LIKE').toLowerCase().split(/\s+/).filter(Boolean),
    versionId: get('VERSION_ID'),
    prettyName: get('PRETTY_NAME') || get('NAME') || 'Linux',
    versionCodename: get('VERSION_CODENAME'),
  };
}

/** 'debian' for Debian/Ubuntu and derivatives, 'rhel' for CentOS/Rocky/Alma/Fedora-likes, else 'other'. */
export function osFamily(os: Pick<OsRelease, 'id' | 'idLike'>): 'debian' | 'rhel' | 'other' {
  const ids = [os.id, ...os.idLike];
  if (ids.some((i) => i === 'debian' || i === 'ubuntu')) return 'debian';
  if (ids.some((i) => ['rhel', 'centos', 'fedora', 'rocky', 'almalinux'].includes(i))) return 'rhel';
  return 'other';
}
