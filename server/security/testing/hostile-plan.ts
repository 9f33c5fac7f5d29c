import { readdirSync, readFileSync } from 'node:fs';
import type { LabHost } from '../../../e2e/hosts/fixture';
import type { ClusterSpecInput } from '../../contracts/cluster-spec';
import { hostileSpecCases, type HostileSpecCase } from '../../spec/fixtures/hostile/cases';
import { importKubeKey } from '../../spec';
import type { HostileLogin } from './hostile-users';

/** Where a carried corpus value goes on a real host. */
export type Slot = 'login-password' | 'sudo-password' | 'passphrase' | 'registry-username' | 'registry-password';

const SLOT_OF_FIELD: Record<string, Slot> = {
  'hosts.1.auth.password': 'login-password',
  'hosts.1.sudoPassword': 'sudo-password',
  'hosts.0.auth.passphrase': 'passphrase',
  'registry.privateRegistry.username': 'registry-username',
  'registry.privateRegistry.password': 'registry-password',
  // the cluster-wide credentials reach a host as that host's login and sudo password (resolveHostDefaults)
  'hostDefaults.auth.password': 'login-password',
  'hostDefaults.sudoPassword': 'sudo-password',
};

export function slotOf(c: Pick<HostileSpecCase, 'id' | 'field'>): Slot {
  const slot = SLOT_OF_FIELD[c.field];
  if (!slot) throw new Error(`carried case ${c.id}: no real-host slot for field ${c.field}; add one to hostile-plan.ts`);
  return slot;
}

const HOSTILE_DIR = new URL('../../spec/fixtures/hostile/', import.meta.url);

/** The carried spec cases, and the distinct values they and the carried KubeKey files put into credential fields. */
export function carriedCorpus(): { cases: HostileSpecCase[]; values: string[] } {
  const cases = hostileSpecCases().filter((c) => c.expect === 'carry');
  const values = new Set(cases.map((c) => c.value as string));
  for (const file of readdirSync(HOSTILE_DIR).filter((f) => f.endsWith('.yaml'))) {
    const text = readFileSync(new URL(file, HOSTILE_DIR), 'utf8');
    if (!/^# expect: carry hosts\.\d+\.auth\.password /m.test(text)) continue;
    const r = importKubeKey(text);
    for (const h of r.spec?.hosts ?? []) if (h.auth?.type === 'password' && typeof h.auth.password === 'string') values.add(h.auth.password);
  }
  return { cases, values: [...values] };
}

export type Placement = { host: string; mode: 'password' | 'key'; login: HostileLogin };
export type Round = { spec: ClusterSpecInput; placements: Placement[]; registry: { username: string; password: string }; full: boolean };

/**
 * One round per value. Round r sets the registry username to value r and its password to value r+1. The first
 * ceil(n/hosts) rounds are full (preflight + config): host i logs in as the login of value r*hosts+i (password or key
 * with that value as passphrase, alternating) and uses the value as sudo password, so every value goes through sudo; the
 * other rounds only write the config. Logins with each value by password and by key are also covered by the probes.
 */
export function hostileRounds(hosts: readonly LabHost[], logins: readonly HostileLogin[], tag: string): Round[] {
  const n = logins.length;
  const at = (k: number) => logins[k % n]!;
  const fullRounds = Math.ceil(n / hosts.length);
  return logins.map((_, r) => {
    const placements = hosts.map((h, i): Placement => ({ host: h.name, mode: (r + i) % 2 === 0 ? 'password' : 'key', login: at(r * hosts.length + i) }));
    const registry = { username: at(r).password, password: at(r + 1).password };
    const spec = {
      name: `hostile-${tag}-${r}`,
      kubernetes: { version: 'v1.31.4' },
      preflight: { minMemControlPlaneMb: 256, minMemWorkerMb: 128, minDiskGb: 1 },
      registry: { mirrors: ['https://mirror.kx.test'], insecureRegistries: ['reg.kx.test:5000'], privateRegistry: { url: 'https://reg.kx.test:5000', ...registry } },
      hosts: placements.map((p, i) => {
        const h = hosts[i]!;
        const auth = p.mode === 'password' ? { type: 'password', password: p.login.password } : { type: 'key', privateKey: p.login.privateKey, passphrase: p.login.passphrase };
        return { name: h.name, address: h.address, port: h.port, user: p.login.user, auth, sudoPassword: p.login.password, hostKeyFingerprint: h.hostKeyFingerprint, roles: i === 0 ? ['etcd', 'control-plane'] : ['etcd', 'worker'] };
      }),
    } as ClusterSpecInput;
    return { spec, placements, registry, full: r < fullRounds };
  });
}

/** Which (slot, value) pairs the rounds and the probes (a password and a key login per value) exercise. */
export function coveredSlots(rounds: readonly Round[], probed: readonly HostileLogin[]): Set<string> {
  const out = new Set<string>();
  for (const l of probed) for (const slot of ['login-password', 'passphrase']) out.add(`${slot}\u0000${slot === 'passphrase' ? l.passphrase : l.password}`);
  for (const r of rounds) {
    if (r.full) for (const p of r.placements) out.add(`sudo-password\u0000${p.login.password}`);
    out.add(`registry-username\u0000${r.registry.username}`);
    out.add(`registry-password\u0000${r.registry.password}`);
  }
  return out;
}
