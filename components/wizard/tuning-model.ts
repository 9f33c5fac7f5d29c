import { Calico } from '@/server/contracts/spec-kube-tuning';
import type { Carried, WizardForm } from './form-model';

// The most-changed KubeKey fields, edited where the form carries them (form.carry), so a field without an input is never dropped.
type Section = 'kubernetes' | 'etcd' | 'network' | 'system';
type Raw = Record<string, unknown>;

const EMPTY: Carried = { kubernetes: {}, endpoint: {}, etcd: {}, network: {}, registry: {} };
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** one line per entry; an empty list removes the field */
export const listText = (v: unknown) => (Array.isArray(v) ? v.join('\n') : '');
export const toList = (s: string) => s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);
/** digits → a number; other text is kept so the server names the field; '' removes it */
export const toNumber = (s: string): unknown => (s.trim() === '' ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());

export function carried(form: WizardForm, section: Section, key: string): unknown {
  const s = form.carry?.[section];
  return isObj(s) ? s[key] : undefined;
}

/** The form with one carried field set (undefined or an empty list removes it). */
export function withCarried(form: WizardForm, section: Section, key: string, value: unknown): WizardForm {
  const carry = form.carry ?? EMPTY;
  const current = isObj(carry[section]) ? (carry[section] as Raw) : {};
  const next: Raw = { ...current, [key]: value };
  if (value === undefined || (Array.isArray(value) && value.length === 0)) delete next[key];
  if (section === 'system' && Object.keys(next).length === 0) {
    const { system: _s, ...rest } = carry;
    return { ...form, carry: rest };
  }
  return { ...form, carry: { ...carry, [section]: next } };
}

/** calico's encapsulation and MTU: one object in the spec, so a field sets it whole (calico's defaults for the rest) */
export function withCalico(form: WizardForm, key: 'ipipMode' | 'vxlanMode' | 'vethMTU', value: unknown): WizardForm {
  const base = { ipipMode: 'Always', vxlanMode: 'Never', vethMTU: 0, ...(carried(form, 'network', 'calico') as Raw | undefined) };
  return withCarried(form, 'network', 'calico', { ...base, [key]: value });
}

/**
 * calico's two encapsulation selects, checked by the spec's own rule as soon as one is chosen: they only fail together, and
 * the wizard otherwise shows a step's errors once it is left, so a conflict made here would stay silent on this step.
 */
export function calicoChoiceErrors(form: WizardForm): Map<string, string> {
  const r = Calico.safeParse(carried(form, 'network', 'calico') ?? {});
  const out = new Map<string, string>();
  for (const i of r.success ? [] : r.error.issues) {
    const key = i.path[0];
    if (key === 'ipipMode' || key === 'vxlanMode') out.set(`network.calico.${key}`, i.message);
  }
  return out;
}

export type HookDraft = { name: string; bash: string; materials?: unknown[]; role?: string };

const hookLine = (h: HookDraft) => `${h.name}: ${h.bash.replace(/\n+$/, '').replaceAll('\n', '; ')}`;

/** hooks as text, one per line: "name: command" (a multi-line script shows joined with "; ") */
export const hooksText = (v: unknown) => (Array.isArray(v) ? (v as HookDraft[]).map(hookLine).join('\n') : '');

/** the lines back as hooks; a line left as it was keeps its hook exactly (multi-line script, materials, role); an edited one keeps its name's materials and role, a renamed one loses them */
export function toHooks(text: string, before: unknown): HookDraft[] {
  const prior = Array.isArray(before) ? (before as HookDraft[]) : [];
  const unchanged = new Map(prior.map((h) => [hookLine(h), h]));
  const old = new Map(prior.map((h) => [h.name, h]));
  return text.split('\n').filter((l) => l.trim()).map((l, i) => {
    const same = unchanged.get(l.trim());
    if (same) return same;
    const at = l.indexOf(': ');
    const name = at > 0 ? l.slice(0, at).trim() : `hook ${i + 1}`;
    const bash = at > 0 ? l.slice(at + 2).trim() : l.trim();
    const kept = old.get(name);
    return { name, bash, ...(kept?.materials?.length ? { materials: kept.materials } : {}), ...(kept?.role ? { role: kept.role } : {}) };
  });
}
