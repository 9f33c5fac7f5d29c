import { LineCounter, parseAllDocuments, type Document } from 'yaml';

export const YAML_LIMITS = { bytes: 1024 * 1024, aliases: 100, documents: 16, flowDepth: 64 } as const;

function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

export type SourceIssue = { path: string; source: string; message: string; line?: number; col?: number };
export type YamlPath = ReadonlyArray<string | number>;

export type ParsedYaml = { docs: Document.Parsed[]; lines: LineCounter };

export function formatPath(path: YamlPath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

export function parseYaml(text: string): { ok: true; parsed: ParsedYaml } | { ok: false; errors: SourceIssue[] } {
  const fail = (message: string, line?: number, col?: number) => ({ ok: false as const, errors: [{ path: '', source: '', message, line, col }] });
  if (text.length > YAML_LIMITS.bytes) return fail(`file is larger than ${YAML_LIMITS.bytes} bytes`);
  if (flowDepth(text) > YAML_LIMITS.flowDepth) return fail(`brackets nested deeper than ${YAML_LIMITS.flowDepth} levels`);
  const lines = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  } catch (e) {
    return fail(`YAML could not be parsed: ${e instanceof RangeError ? 'nesting too deep' : String((e as Error).message)}`);
  }
  if (!Array.isArray(docs)) return fail('not a YAML document stream');
  if (docs.length > YAML_LIMITS.documents) return fail(`more than ${YAML_LIMITS.documents} YAML documents`);
  const errors: SourceIssue[] = [];
  for (const doc of docs) {
    for (const err of doc.errors) {
      const pos = lines.linePos(err.pos[0]);
      errors.push({ path: '', source: '', message: err.message.split('\n')[0] ?? err.code, line: pos.line, col: pos.col });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, parsed: { docs, lines } };
}

export function toPlain(doc: Document.Parsed): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: YAML_LIMITS.aliases }) };
  } catch (e) {
    const msg = e instanceof ReferenceError ? 'too many alias expansions (YAML bomb?)' : (e as Error).message;
    return { ok: false, message: `YAML refused: ${msg}` };
  }
}

export function locate(parsed: ParsedYaml, doc: Document.Parsed, path: YamlPath): { line?: number; col?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && Array.isArray(node.range)) {
      const { line, col } = parsed.lines.linePos(node.range[0]);
      return { line, col };
    }
  }
  return {};
}
