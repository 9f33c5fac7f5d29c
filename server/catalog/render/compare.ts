import type { HostFiles, RenderedFile } from './host-files';
import { unifiedDiff } from './line-diff';
import type { HostFile } from './read-host';
import { hideHostSecrets } from './redact';

export type FileState = 'same' | 'differs' | 'missing' | 'present' | 'mode' | 'not-compared';
export type ComparedFile = { path: string; state: FileState; diff: string; detail: string };

/** The paths --diff reads on a host: every rendered file but commands. */
export const pathsToRead = (h: HostFiles) => [...new Set(h.files.filter((f) => f.kind !== 'command').map((f) => f.path))];

/** One rendered file against what the host has; contents on the host pass through the same redaction as the render. */
export function compareFile(f: RenderedFile, onHost: HostFile | undefined, redact: (text: string) => string): ComparedFile {
  const base = { path: f.path, diff: '' };
  if (f.kind === 'command') return { ...base, state: 'not-compared', detail: 'a command, not a file' };
  if (f.transient) return { ...base, state: onHost ? 'present' : 'same', detail: onHost ? 'left from an interrupted run (removed after use)' : 'absent, as after a run' };
  if (onHost === undefined) return { ...base, state: 'not-compared', detail: 'not read' };
  if (onHost === null) return { ...base, state: 'missing', detail: 'not on the host' };
  if (f.content === null) return { ...base, state: 'present', detail: 'present (content made at run time, not compared)' };
  const current = hideHostSecrets(f.path, redact(onHost.content));
  const wanted = f.kind === 'block' && f.merge ? f.merge(current) : f.content;
  const diff = unifiedDiff(current, wanted, { from: `${f.path} (on the host)`, to: `${f.path} (rendered)` });
  if (diff) return { ...base, state: 'differs', diff, detail: 'content differs' };
  if (f.kind !== 'block' && onHost.mode !== f.mode) return { ...base, state: 'mode', detail: `mode ${onHost.mode.toString(8)} on the host, ${f.mode.toString(8)} rendered` };
  return { ...base, state: 'same', detail: 'same' };
}
