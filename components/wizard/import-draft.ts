import type { ClusterSpecPublic } from '@/server/contracts/cluster-spec';
import { emptyForm, fromPublicSpec, toSpecInput, type WizardForm } from './form-model';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => !!v && typeof v === 'object' && !Array.isArray(v);
const isPrimitive = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Takes from `value` whatever has the shape of `base` (a primitive for a primitive, a list for a list), keeps base elsewhere. */
function overlay(base: unknown, value: unknown): unknown {
  if (value === undefined || value === null) return base;
  if (isPlain(base)) {
    if (!isPlain(value)) return base;
    const out: Plain = { ...base };
    for (const [k, v] of Object.entries(value)) out[k] = k in base ? overlay(base[k], v) : v;
    return out;
  }
  if (Array.isArray(base)) return Array.isArray(value) ? value.filter((v) => isPrimitive(v) || isPlain(v)) : base;
  if (isPrimitive(base) || base === undefined) return isPrimitive(value) || isPlain(value) ? value : base;
  return base;
}

type DraftHost = { auth?: { type?: unknown; password?: unknown; privateKey?: unknown }; sudoPassword?: unknown };

/**
 * The importer's draft of a file that did not validate may miss whole sections or hold values of the wrong type:
 * it is laid over the wizard's defaults so that whatever parsed lands in the form and the errors point at fields.
 */
export function formFromDraft(draft: unknown): WizardForm {
  const defaults = toSpecInput(emptyForm()) as unknown as Plain;
  const defaultHost = (defaults.hosts as Plain[])[0]!;
  const d = isPlain(draft) ? draft : {};
  // a KubeKey file has no cluster-wide credentials: every imported host carries its own
  const merged = overlay({ ...defaults, hosts: [], hostDefaults: undefined }, { ...d, hosts: undefined, hostDefaults: undefined }) as Plain;
  const hosts = (Array.isArray(d.hosts) ? d.hosts : []).map((h) => {
    const host = overlay(defaultHost, h) as Plain;
    const auth = isPlain(host.auth) && (host.auth.type === 'key' || host.auth.type === 'password') ? host.auth : { type: 'key' };
    return { ...host, auth, labels: isPlain(host.labels) ? host.labels : {}, roles: Array.isArray(host.roles) ? host.roles.filter((r) => typeof r === 'string') : [] };
  });
  const notSet = { set: false };
  const registry = isPlain(merged.registry) ? merged.registry : {};
  const pr = isPlain(registry.privateRegistry) && typeof registry.privateRegistry.url === 'string' ? registry.privateRegistry : undefined;
  const publicSpec = {
    ...merged,
    registry: { ...registry, privateRegistry: pr ? { ...pr, password: notSet } : undefined },
    hosts: hosts.map((h) => ({
      ...h,
      sudoPassword: notSet,
      auth: (h.auth as Plain).type === 'key' ? { type: 'key', privateKey: notSet, passphrase: notSet } : { type: 'password', password: notSet },
    })),
  } as unknown as ClusterSpecPublic;
  const form = { ...emptyForm(), ...fromPublicSpec(publicSpec) };
  if (form.hosts.length === 0) form.hosts = emptyForm().hosts;
  form.hosts.forEach((row, i) => {
    const h = (Array.isArray(d.hosts) ? d.hosts[i] : undefined) as DraftHost | undefined;
    if (!isPlain(h)) return;
    if (h.auth?.type === 'password' && typeof h.auth.password === 'string') row.password = h.auth.password;
    if (h.auth?.type === 'key' && typeof h.auth.privateKey === 'string') row.privateKey = h.auth.privateKey;
    if (typeof h.sudoPassword === 'string') row.sudoPassword = h.sudoPassword;
  });
  return form;
}
