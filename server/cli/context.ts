import type { Parsed } from './args';
import type { Io } from './follow';
import { resolveDataDir } from './open-backend';

export type Ctx = Io & {
  dataDir: string;
  /** progress notes: stdout in text mode, stderr with --output json (stdout stays JSON) */
  note: (line: string) => void;
  usage: string;
};

export function makeCtx(p: Parsed, io: { out: Io['out']; err: Io['err'] }, usage: string): Ctx {
  const output = p.values.output === 'json' ? 'json' : 'text';
  const noteTo = output === 'json' ? io.err : io.out;
  return { ...io, output, dataDir: resolveDataDir(p.values['data-dir'] as string | undefined), note: (line) => noteTo.write(`${line}\n`), usage };
}
