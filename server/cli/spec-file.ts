import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClusterSpecInput } from '../contracts/cluster-spec';
import { formatIssue, importKubeKey, withSecrets, type MissingSecret } from '../spec';
import { badInput } from './errors';

/** A secret the file did not hold and the CLI could not read from a privateKeyPath; a stored value may still cover it. */
export type Unresolved = { path: string; required: boolean; problem: string };
/** text: the file as read; stored (secrets blanked) so that export returns the user's own file */
export type SpecFile = { file: string; text: string; spec: ClusterSpecInput; warnings: string[]; unresolved: Unresolved[]; keysRead: string[] };

export function expandHome(p: string): string {
  return p === '~' ? os.homedir() : p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : p;
}

function lineOf(text: string, needle: string): number | null {
  const i = text.split('\n').findIndex((l) => /privateKeyPath/.test(l) && l.includes(needle));
  return i < 0 ? null : i + 1;
}

function readKey(file: string, text: string, m: MissingSecret & { privateKeyPath: string }): { value: string } | { problem: string } {
  const where = lineOf(text, m.privateKeyPath);
  const at = `${file}${where ? `:${where}` : ''}: ${m.path.replace(/\.auth\.privateKey$/, '.privateKeyPath')}`;
  try {
    const value = fs.readFileSync(expandHome(m.privateKeyPath), 'utf8');
    if (!/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(value)) return { problem: `${at}: ${m.privateKeyPath} is not a PEM/OpenSSH private key` };
    return { value };
  } catch (err) {
    return { problem: `${at}: cannot read ${m.privateKeyPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}

/** Reads and checks a KubeKey Cluster file; errors (file:line:col: field: message) throw a bad-input error. Private keys are read from privateKeyPath. */
export function loadSpecFile(file: string): SpecFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw badInput(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  // KubeKey reads hook materials relative to where it runs; kubexms reads them next to the file (or absolute, or ~/)
  const readFile = (p: string) => fs.readFileSync(path.resolve(path.dirname(file), expandHome(p)), 'utf8');
  const result = importKubeKey(text, { readFile });
  const warnings = result.warnings.map((w) => formatIssue(w, file));
  if (!result.ok || !result.spec) {
    const n = result.errors.length;
    throw badInput(`${file}: ${n} error${n === 1 ? '' : 's'}; nothing was saved or run`, result.errors.map((e) => formatIssue(e, file)));
  }
  const secrets: Record<string, string> = {};
  const unresolved: Unresolved[] = [];
  const keysRead: string[] = [];
  for (const m of result.missingSecrets) {
    if (!m.privateKeyPath) {
      unresolved.push({ path: m.path, required: m.required, problem: `${file}: ${m.path}: not in the file` });
      continue;
    }
    const got = readKey(file, text, { ...m, privateKeyPath: m.privateKeyPath });
    if ('value' in got) {
      secrets[m.path] = got.value;
      keysRead.push(`${m.path} from ${m.privateKeyPath}`);
    } else unresolved.push({ path: m.path, required: m.required, problem: got.problem });
  }
  return { file, text, spec: withSecrets(result.spec, secrets), warnings, unresolved, keysRead };
}
