import { commandUsage, parseCommandLine, USAGE, type CommandName, type Parsed } from './args';
import { applyCommand, isApplyCommand } from './commands/apply';
import { ETCD_COMMANDS } from './commands/etcd';
import { CLUSTER_COMMANDS } from './commands/cluster';
import { RUNS_COMMANDS } from './commands/runs';
import { SPEC_COMMANDS } from './commands/spec';
import { SPEC_RENDER_COMMANDS } from './commands/spec-render';
import { makeCtx, type Ctx } from './context';
import { CliError, EXIT, UsageError, type ExitCode } from './errors';
import type { Out } from './progress';

type Handler = (p: Parsed, ctx: Ctx) => Promise<ExitCode>;
const HANDLERS: Partial<Record<CommandName, Handler>> = { ...RUNS_COMMANDS, ...SPEC_COMMANDS, ...SPEC_RENDER_COMMANDS, ...ETCD_COMMANDS, ...CLUSTER_COMMANDS };

function report(err: unknown, io: { out: Out; err: Out }, json: boolean): ExitCode {
  if (err instanceof UsageError) {
    io.err.write(`kubexms: ${err.message}\n\n${err.usage}\n`);
    return EXIT.badInput;
  }
  const cli = err instanceof CliError ? err : null;
  const message = cli ? cli.message : `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  const details = cli?.details ?? [];
  const exitCode = cli?.exitCode ?? EXIT.failed;
  io.err.write(`kubexms: ${message}\n${details.map((d) => `  ${d}\n`).join('')}`);
  if (json) io.out.write(`${JSON.stringify({ type: 'error', message, details, exitCode })}\n`);
  return exitCode;
}

/** The whole CLI; returns the exit code (0 done / run succeeded, 1 failed or cancelled, 2 bad input). */
export async function main(argv: readonly string[], io: { out: Out; err: Out }): Promise<ExitCode> {
  let json = false;
  try {
    const parsed = parseCommandLine(argv);
    if ('help' in parsed) {
      io.out.write(`${parsed.help}\n`);
      return EXIT.ok;
    }
    json = parsed.values.output === 'json';
    const ctx = makeCtx(parsed, io, commandUsage(parsed.command));
    const handler = isApplyCommand(parsed.command.name) ? applyCommand : HANDLERS[parsed.command.name];
    if (!handler) throw new UsageError(`not implemented: ${parsed.command.name}`, USAGE);
    return await handler(parsed, ctx);
  } catch (err) {
    return report(err, io, json);
  }
}
