import type { ClusterSpecInput } from '../contracts/cluster-spec';
import { mapSecrets } from '../contracts/spec-secrets';
import { validateSpec } from '../contracts/spec-validate';
import { mapKubeKey, type MapNote } from './kubekey-map';
import { formatPath, locate, parseYaml, toPlain, type ParsedYaml, type SourceIssue, type YamlPath } from './kubekey-yaml';
import type { Document } from 'yaml';

export type { SourceIssue } from './kubekey-yaml';
/** A secret the file did not carry: the wizard asks for it; the CLI may read privateKeyPath from disk. */
export type MissingSecret = { path: string; field: string; required: boolean; privateKeyPath?: string };
export type ImportResult = {
  ok: boolean;
  spec?: ClusterSpecInput;
  draft?: Record<string, unknown>;
  errors: SourceIssue[];
  warnings: SourceIssue[];
  missingSecrets: MissingSecret[];
};

const isCluster = (d: Document.Parsed) => {
  const kind = d.get('kind');
  return kind === 'Cluster' || (kind === undefined && d.has('spec'));
};

/** readFile: how hook materials named in the file are read (the CLI reads them next to the file); without it they are refused. */
export function importKubeKey(text: string, options: { readFile?: (path: string) => string } = {}): ImportResult {
  const empty = { warnings: [], missingSecrets: [] };
  const parsed = parseYaml(text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, ...empty };
  const { docs } = parsed.parsed;
  const doc = docs.find(isCluster) ?? docs[0];
  if (!doc) return { ok: false, errors: [{ path: '', source: '', message: 'the file is empty' }], ...empty };
  const plain = toPlain(doc);
  if (!plain.ok) return { ok: false, errors: [{ path: '', source: '', message: plain.message }], ...empty };
  const mapped = mapKubeKey(plain.value, options.readFile);
  const at = (note: MapNote): SourceIssue => ({ ...note, source: formatPath(note.source), ...locate(parsed.parsed, doc, note.source) });
  const warnings = mapped.warnings.map(at);
  for (const other of docs) {
    if (other !== doc) warnings.push({ path: '', source: '', message: `a ${String(other.get('kind') ?? 'non-Cluster')} document was ignored`, ...locate(parsed.parsed, other, []) });
  }
  const errors = mapped.errors.map(at);
  const checked = validateSpec(mapped.input, { secrets: 'ignore' });
  errors.push(...checked.errors.map((e) => ({ ...e, ...sourceOf(parsed.parsed, doc, mapped.where, e.path) })));
  warnings.push(...checked.warnings.map((w) => ({ ...w, ...sourceOf(parsed.parsed, doc, mapped.where, w.path) })));
  if (!checked.ok || errors.length > 0) return { ok: false, draft: mapped.input, errors: capIssues(sortByLine(errors)), warnings, missingSecrets: [] };
  const missingSecrets: MissingSecret[] = [];
  mapSecrets(checked.spec, (value, slot) => {
    if (typeof value === 'string') return;
    if (!slot.required && !mapped.placeholders.has(slot.path)) return;
    const privateKeyPath = mapped.keyPaths.get(slot.path);
    missingSecrets.push({ path: slot.path, field: slot.field, required: slot.required, ...(privateKeyPath ? { privateKeyPath } : {}) });
  });
  return { ok: true, spec: checked.spec, draft: mapped.input, errors: [], warnings, missingSecrets };
}

function sourceOf(parsed: ParsedYaml, doc: Document.Parsed, where: Map<string, YamlPath>, path: string) {
  const parts = path === '' ? [] : path.split('.');
  for (let n = parts.length; n >= 0; n--) {
    const base = where.get(parts.slice(0, n).join('.'));
    if (!base) continue;
    const rest = parts.slice(n).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const src = [...base, ...rest];
    return { source: formatPath(src), ...locate(parsed, doc, src) };
  }
  return { source: '', ...locate(parsed, doc, ['spec']) };
}

export const ISSUE_CAP = { total: 40, perKind: 3 } as const;

const kindOf = (i: SourceIssue) => `${(i.source || i.path).replace(/\[\d+\]|\.\d+(?=\.|$)/g, '[]')}\u0000${i.message.replace(/"[^"]*"|\d+/g, '#')}`;

/** Past the cap, each kind of error (same field pattern, same message shape) keeps a few lines and a count, so repeats never hide another kind. */
export function capIssues(issues: SourceIssue[]): SourceIssue[] {
  if (issues.length <= ISSUE_CAP.total) return issues;
  const seen = new Map<string, { shown: number; hidden: number; last?: SourceIssue }>();
  const out: SourceIssue[] = [];
  for (const i of issues) {
    const k = kindOf(i);
    const s = seen.get(k) ?? { shown: 0, hidden: 0 };
    seen.set(k, s);
    if (s.shown < ISSUE_CAP.perKind) { s.shown++; out.push(i); } else { s.hidden++; s.last = i; }
  }
  for (const s of seen.values()) {
    if (s.hidden > 0 && s.last) out.push({ ...s.last, message: `… and ${s.hidden} more like: ${s.last.message}` });
  }
  return out;
}

function sortByLine(issues: SourceIssue[]): SourceIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

export function formatIssue(issue: SourceIssue, file = 'cluster.yaml'): string {
  const pos = issue.line ? `${file}:${issue.line}:${issue.col ?? 1}` : file;
  const field = issue.source || issue.path;
  return `${pos}: ${field ? `${field}: ` : ''}${issue.message}`;
}
