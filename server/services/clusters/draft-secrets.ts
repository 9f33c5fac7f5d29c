import type { z } from 'zod';
import { label, passwordSecret, privateKeySecret } from '../../contracts/spec-fields';
import type { FieldError } from '../../errors';
import type { SecretWrites } from './secrets-split';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Takes the secret values out of a partial wizard state, leaving { set } markers: same paths and keep/clear rules as a
 * saved cluster, so a draft's secrets carry over when it is saved. A secret needs a valid host name (its path) and a valid value.
 */
export function splitDraftSecrets(draft: Obj, stored: ReadonlySet<string>): { draft: Obj; writes: SecretWrites; errors: FieldError[] } {
  const put: SecretWrites['put'] = [];
  const kept = new Set<string>();
  const errors: FieldError[] = [];
  const take = (holder: Obj, key: string, schema: z.ZodType<string>, path: string | null, field: string, expected: boolean) => {
    const value = holder[key];
    if (value === undefined && !expected) return;
    if (value !== undefined && value !== null && path === null) {
      errors.push({ path: field, message: 'give this host a valid name to keep its secrets in the draft' });
      return;
    }
    if (typeof value === 'string') {
      const ok = schema.safeParse(value);
      if (!ok.success) errors.push({ path: field, message: ok.error.issues[0]?.message ?? 'invalid' });
      else if (path) {
        put.push({ path, value });
        kept.add(path);
      }
      holder[key] = { set: true };
    } else if (value === undefined || value === null || isObj(value)) {
      const set = value !== null && path !== null && stored.has(path);
      if (set) kept.add(path);
      holder[key] = { set };
    } else {
      errors.push({ path: field, message: 'must be text' });
    }
  };
  const out = structuredClone(draft);
  if (Array.isArray(out.hosts)) {
    out.hosts.forEach((h: unknown, i) => {
      if (!isObj(h)) return;
      const p = typeof h.name === 'string' && label.safeParse(h.name).success ? `hosts.${h.name}` : null;
      const at = (k: string) => (p ? `${p}.${k}` : null);
      if (isObj(h.auth)) {
        const { auth } = h;
        take(auth, 'privateKey', privateKeySecret, at('auth.privateKey'), `hosts.${i}.auth.privateKey`, auth.type === 'key');
        take(auth, 'passphrase', passwordSecret, at('auth.passphrase'), `hosts.${i}.auth.passphrase`, auth.type === 'key');
        take(auth, 'password', passwordSecret, at('auth.password'), `hosts.${i}.auth.password`, auth.type === 'password');
      }
      take(h, 'sudoPassword', passwordSecret, at('sudoPassword'), `hosts.${i}.sudoPassword`, true);
    });
  }
  const d = out.hostDefaults;
  if (isObj(d)) {
    if (isObj(d.auth)) {
      const { auth } = d;
      take(auth, 'privateKey', privateKeySecret, 'hostDefaults.auth.privateKey', 'hostDefaults.auth.privateKey', auth.type === 'key');
      take(auth, 'passphrase', passwordSecret, 'hostDefaults.auth.passphrase', 'hostDefaults.auth.passphrase', auth.type === 'key');
      take(auth, 'password', passwordSecret, 'hostDefaults.auth.password', 'hostDefaults.auth.password', auth.type === 'password');
    }
    take(d, 'sudoPassword', passwordSecret, 'hostDefaults.sudoPassword', 'hostDefaults.sudoPassword', true);
  }
  const registry = out.registry;
  if (isObj(registry) && isObj(registry.privateRegistry)) {
    const path = 'registry.privateRegistry.password';
    take(registry.privateRegistry, 'password', passwordSecret, path, path, true);
  }
  return { draft: out, writes: { put, cleared: [...stored].filter((p) => !kept.has(p)) }, errors };
}
