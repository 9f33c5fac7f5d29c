import type { z } from 'zod';
import { ClusterSpecInput } from './cluster-spec';
import { crossFieldErrors, specWarnings, type SpecCore, type SpecIssue } from './spec-checks';
import type { Role } from './spec-host';
import { DEFAULT_POD_CIDR, DEFAULT_SERVICE_CIDR } from './spec-sections';
import { mapSecrets } from './spec-secrets';

export type { SpecIssue } from './spec-checks';
/** 'require': every required secret must be given; a Set: secret paths already stored (may be omitted); 'ignore': skip. */
export type SecretPolicy = 'require' | 'ignore' | ReadonlySet<string>;
export type ValidateResult =
  | { ok: true; spec: ClusterSpecInput; errors: []; warnings: SpecIssue[] }
  | { ok: false; spec?: undefined; errors: SpecIssue[]; warnings: SpecIssue[] };

export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): SpecIssue[] {
  const out: SpecIssue[] = [];
  const seen = new Set<string>();
  const push = (path: string, message: string) => {
    const k = `${path}\u0000${message}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ path, message });
  };
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) push(path ? `${path}.${key}` : key, 'unknown field');
    else if (issue.code === 'invalid_key') push(path, issue.issues[0]?.message ?? issue.message);
    else push(path, issue.message);
  }
  return out;
}

export function missingSecretErrors(spec: ClusterSpecInput, policy: SecretPolicy): SpecIssue[] {
  if (policy === 'ignore') return [];
  const out: SpecIssue[] = [];
  mapSecrets(spec, (value, slot) => {
    if (!slot.required || typeof value === 'string') return;
    if (value === null) out.push({ path: slot.field, message: 'required; it cannot be cleared' });
    else if (policy === 'require' || !policy.has(slot.path)) out.push({ path: slot.field, message: 'required' });
  });
  return out;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

const looseEndpoint = (ep: Record<string, unknown>) => ({
  address: str(ep.address),
  port: typeof ep.port === 'number' ? ep.port : undefined,
  internalLoadbalancer: str(ep.internalLoadbalancer),
});

// Cross-field checks on input that failed field validation, so the form shows every problem at once.
function looseCore(input: unknown): SpecCore | undefined {
  const { hosts, network, kubernetes, hostDefaults } = obj(input);
  if (!Array.isArray(hosts)) return undefined;
  return {
    hosts: hosts.map((raw, i) => {
      const h = obj(raw);
      return {
        name: str(h.name) ?? `\u0000${i}`,
        address: str(h.address) ?? `\u0000${i}`,
        internalAddress: str(h.internalAddress),
        port: typeof h.port === 'number' ? h.port : 22,
        roles: Array.isArray(h.roles) ? h.roles.filter((r): r is Role => typeof r === 'string') : [],
        auth: h.auth,
      };
    }),
    hostDefaults: { auth: obj(hostDefaults).auth },
    network: { podCidr: str(obj(network).podCidr) ?? DEFAULT_POD_CIDR, serviceCidr: str(obj(network).serviceCidr) ?? DEFAULT_SERVICE_CIDR },
    kubernetes: { controlPlaneEndpoint: looseEndpoint(obj(obj(kubernetes).controlPlaneEndpoint)) },
  };
}

export function validateSpec(input: unknown, opts: { secrets?: SecretPolicy } = {}): ValidateResult {
  const parsed = ClusterSpecInput.safeParse(input);
  if (!parsed.success) {
    const errors = issuesToErrors(parsed.error.issues);
    const core = looseCore(input);
    if (!core) return { ok: false, errors, warnings: [] };
    const seen = new Set(errors.map((e) => e.path));
    return { ok: false, errors: [...errors, ...crossFieldErrors(core).filter((e) => !seen.has(e.path))], warnings: specWarnings(core) };
  }
  const warnings = specWarnings(parsed.data);
  const errors = missingSecretErrors(parsed.data, opts.secrets ?? 'require');
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, spec: parsed.data, errors: [], warnings };
}
