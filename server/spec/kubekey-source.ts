import { isDeepStrictEqual } from 'node:util';
import { isAlias, isCollection, isMap, isNode, isScalar, isSeq, parseAllDocuments, Scalar, type Document } from 'yaml';
import type { ClusterSpecPublic } from '../contracts/cluster-spec';
import { mapSecrets, redactSpec } from '../contracts/spec-secrets';
import { expandHostRange } from './host-range';
import { kubekeyBody } from './kubekey-export';
import { importKubeKey } from './kubekey-import';
import { YAML_LIMITS } from './kubekey-yaml';
import { mergeEdits } from './line-merge';

type Path = Array<string | number>;
type Raw = Record<string, unknown>;

// `auth`: a registry's base64 user:password (docker config style); `…Key`: privateKey, certificateKey, encryptionKey
const SECRET_KEY = /^(password|passphrase|secret|token|auth|.*(Secret|Password|Token|Key))$/;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCluster = (d: Document) => d.get('kind') === 'Cluster' || (d.get('kind') === undefined && d.has('spec'));

function parse(text: string): Document.Parsed[] | undefined {
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs) || docs.length > YAML_LIMITS.documents || docs.some((d) => d.errors.length > 0)) return undefined;
  return docs as Document.Parsed[];
}

function printer(text: string) {
  const indentSeq = !/^( *)[^\s#][^\n]*:[ \t]*(#[^\n]*)?\n\1- /m.test(text);
  const flowCollectionPadding = /[{[] [^\n]*[}\]]/.test(text) && !/[{[][^\s\]}][^\n]*[}\]]/.test(text);
  return (docs: readonly Document[]) => docs.map((d) => d.toString({ lineWidth: 0, indentSeq, flowCollectionPadding })).join('');
}

/**
 * Edits the documents of `text` through the yaml Document API, then carries only the changed lines back into the
 * original text, so spacing, comment alignment and blank lines survive wherever nothing changed.
 */
function editPreserving(text: string, edit: (docs: Document.Parsed[]) => boolean): string | undefined {
  const docs = parse(text);
  if (!docs) return undefined;
  const print = printer(text);
  const before = print(docs);
  if (!edit(docs)) return undefined;
  const after = print(docs);
  if (after === before) return text;
  const merged = mergeEdits(text, before, after);
  const check = merged === undefined ? undefined : parse(merged);
  const same = check !== undefined && check.length === docs.length && check.every((d, i) => isDeepStrictEqual(d.toJS(), docs[i]!.toJS()));
  return same ? merged : after;
}

/**
 * The user's file as kubexms keeps it: every secret value (passwords, private keys, registry and storage secrets)
 * blanked with a note, everything else (comments, key order, host ranges, fields kubexms does not use) untouched.
 */
export function scrubSource(text: string): string | undefined {
  // a secret may be written once under any key with an anchor (`x: &pw hunter2`) and used by alias (`password: *pw`)
  const anchors = new Set<string>();
  const blank = (pair: { value: unknown }, node: { flow?: boolean }) => {
    if (isScalar(pair.value)) pair.value.value = '';
    else pair.value = new Scalar('');
    // a comment inside a flow mapping would break it over several lines
    if (!node.flow) (pair.value as Scalar).comment = ' secret not exported';
  };
  const walk = (node: unknown) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const v = pair.value;
        if (SECRET_KEY.test(key) && isAlias(v)) {
          anchors.add(v.source);
          blank(pair, node);
        } else if (SECRET_KEY.test(key) && isScalar(v) && v.value !== '' && v.value !== null) {
          if (v.anchor) anchors.add(v.anchor);
          blank(pair, node);
        } else walk(v);
      }
    } else if (isSeq(node)) node.items.forEach(walk);
  };
  const unanchor = (node: unknown) => {
    if (isScalar(node) && node.anchor && anchors.has(node.anchor)) node.value = '';
    else if (isMap(node)) for (const pair of node.items) unanchor(pair.value);
    else if (isSeq(node)) node.items.forEach(unanchor);
  };
  return editPreserving(text, (docs) => {
    for (const d of docs) walk(d.contents);
    for (const d of docs) unanchor(d.contents);
    return true;
  });
}

/** Both sides of a diff see secrets alike: whether a secret is stored never rewrites the user's file. */
const secretBlind = (spec: ClusterSpecPublic) => mapSecrets(spec, () => ({ set: false })) as ClusterSpecPublic;

/**
 * Export of an imported cluster: the stored file, with only what was changed in kubexms since (the difference between
 * the file's own import and the current spec, both in KubeKey's shape) written into it through the yaml Document API.
 * undefined when the stored file no longer imports (then the caller exports from scratch).
 */
export function exportOverSource(source: string, spec: ClusterSpecPublic): string | undefined {
  // the export writes hook materials back as names, so their content does not matter here
  const base = importKubeKey(source, { readFile: () => '' });
  if (!base.ok || !base.spec) return undefined;
  const before = kubekeyBody(secretBlind(redactSpec(base.spec) as ClusterSpecPublic)).body;
  const after = kubekeyBody(secretBlind(spec)).body;
  return editPreserving(source, (docs) => {
    const doc = docs.find(isCluster);
    if (!doc) return false;
    patch(doc, ['metadata'], before.metadata, after.metadata);
    const bs = before.spec as Raw;
    const as = after.spec as Raw;
    for (const key of new Set([...Object.keys(bs), ...Object.keys(as)])) {
      if (key === 'hosts') patchHosts(doc, bs.hosts as Raw[], as.hosts as Raw[]);
      else if (key === 'roleGroups') patchRoleGroups(doc, bs.roleGroups as Record<string, string[]>, as.roleGroups as Record<string, string[]>);
      else patch(doc, ['spec', key], bs[key], as[key]);
    }
    return true;
  });
}

function patch(doc: Document, path: Path, before: unknown, after: unknown): void {
  if (isDeepStrictEqual(before, after)) return;
  if (isObj(before) && isObj(after) && isMap(doc.getIn(path, true))) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) patch(doc, [...path, k], before[k], after[k]);
    return;
  }
  if (after === undefined) return void doc.deleteIn(path);
  const node = doc.getIn(path, true);
  if (isNode(node) && isDeepStrictEqual(node.toJSON(), after)) return;
  if (isScalar(node) && !isCollection(after) && (typeof after !== 'object' || after === null)) {
    node.value = after;
    return;
  }
  doc.setIn(path, doc.createNode(after));
}

function patchHosts(doc: Document, before: Raw[], after: Raw[]): void {
  const seq = doc.getIn(['spec', 'hosts'], true);
  if (!isSeq(seq)) return void doc.setIn(['spec', 'hosts'], doc.createNode(after));
  const index = new Map(before.map((h, i) => [h.name, i] as const));
  const kept = new Set<number>();
  for (const h of after) {
    const i = index.get(h.name);
    if (i === undefined) seq.add(doc.createNode(h));
    else {
      kept.add(i);
      patch(doc, ['spec', 'hosts', i], before[i], h);
    }
  }
  for (let i = before.length - 1; i >= 0; i--) if (!kept.has(i)) seq.delete(i);
}

// KubeKey's "master" group is kubexms' control-plane.
const groupKey = (doc: Document, group: string) =>
  group === 'control-plane' && !doc.hasIn(['spec', 'roleGroups', group]) && doc.hasIn(['spec', 'roleGroups', 'master']) ? 'master' : group;

/** A group whose members changed keeps each entry (a name or a range like node[2:10]) whose hosts all stay, then lists the rest by name. */
function patchRoleGroups(doc: Document, before: Record<string, string[]>, after: Record<string, string[]>): void {
  for (const group of Object.keys(after)) {
    const want = after[group] ?? [];
    if (isDeepStrictEqual(new Set(before[group] ?? []), new Set(want))) continue;
    const path = ['spec', 'roleGroups', groupKey(doc, group)];
    const seq = doc.getIn(path, true);
    if (!isSeq(seq)) {
      doc.setIn(path, doc.createNode(want));
      continue;
    }
    const wanted = new Set(want);
    const have = new Set<string>();
    for (let i = seq.items.length - 1; i >= 0; i--) {
      const item = seq.items[i];
      const entry = String(isScalar(item) ? item.value : item);
      const exp = expandHostRange(entry);
      const names = exp.ok ? exp.names : [entry];
      if (names.every((n) => wanted.has(n))) names.forEach((n) => have.add(n));
      else seq.delete(i);
    }
    for (const n of want) if (!have.has(n)) seq.add(doc.createNode(n));
  }
}
