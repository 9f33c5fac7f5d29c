import { parseArgs } from 'node:util';
import { INSTALL_MODULES, InstallModule } from '../contracts/run-phases';
import { UsageError } from './errors';

type Opt = { type: 'string' | 'boolean'; short?: string; arg?: string; help: string };
type Options = Record<string, Opt>;

export type CommandName =
  | 'create cluster'
  | 'preflight'
  | 'reset'
  | 'add nodes'
  | 'delete nodes'
  | 'runs list'
  | 'runs show'
  | 'runs logs'
  | 'runs cancel'
  | 'runs retry'
  | 'spec export'
  | 'spec validate'
  | 'spec render'
  | 'etcd backup'
  | 'etcd backups'
  | 'etcd restore'
  | 'etcd roll'
  | 'certs list'
  | 'certs renew'
  | 'cluster status'
  | 'kubeconfig';

type CommandDef = { name: CommandName; args: string[]; summary: string; options: Options; required?: string[] };

const common: Options = {
  'data-dir': { type: 'string', arg: 'DIR', help: 'data dir (default: $KUBEXMS_DATA_DIR or ./data)' },
  output: { type: 'string', short: 'o', arg: 'text|json', help: 'json: one JSON object per line' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};
const file: Options = { file: { type: 'string', short: 'f', arg: 'FILE', help: 'KubeKey v1alpha2 Cluster YAML' } };
const runOpts: Options = {
  ...file,
  'accept-new-host-keys': { type: 'boolean', help: 'pin the host key each new host presents now (trust on first use); a changed key is never accepted' },
};

const until: Options = {
  until: { type: 'string', arg: 'MODULE', help: `stop after this module: ${INSTALL_MODULES.join('|')} (e.g. etcd)` },
};

export const COMMANDS: CommandDef[] = [
  { name: 'create cluster', args: [], summary: 'save the cluster from the file (create or update), then install it', options: { ...runOpts, ...until }, required: ['file'] },
  { name: 'preflight', args: [], summary: 'save the cluster from the file, then run the read-only preflight checks', options: runOpts, required: ['file'] },
  { name: 'reset', args: [], summary: 'save the cluster from the file, then remove what kubexms installed', options: runOpts, required: ['file'] },
  {
    name: 'add nodes',
    args: [],
    summary: 'save the cluster from the file, then install and join the named new nodes',
    options: { ...runOpts, ...until, nodes: { type: 'string', arg: 'a,b', help: 'names of the new hosts (in the file)' } },
    required: ['file', 'nodes'],
  },
  {
    name: 'delete nodes',
    args: [],
    summary: 'save the cluster from the file, drain and remove the named nodes (etcd: member remove, quorum kept), clean them like reset, drop them from the cluster',
    options: { ...runOpts, nodes: { type: 'string', arg: 'a,b', help: 'names of the hosts to remove (in the file)' } },
    required: ['file', 'nodes'],
  },
  {
    name: 'runs list',
    args: [],
    summary: 'list runs, newest first',
    options: {
      cluster: { type: 'string', arg: 'NAME', help: 'only this cluster' },
      status: { type: 'string', arg: 'STATUS', help: 'queued|running|succeeded|failed|cancelled|interrupted' },
      limit: { type: 'string', arg: 'N', help: 'at most N runs (default 20, max 200)' },
    },
  },
  { name: 'runs show', args: ['<id>'], summary: 'a run as a table: steps x hosts with their status', options: {} },
  {
    name: 'runs logs',
    args: ['<id>'],
    summary: 'the output of a run',
    options: { host: { type: 'string', arg: 'HOST', help: 'only this host' }, step: { type: 'string', arg: 'STEP', help: 'only this step (name or id m.t.s)' } },
  },
  { name: 'runs cancel', args: ['<id>'], summary: 'cancel a queued or running run', options: {} },
  {
    name: 'runs retry',
    args: ['<id>'],
    summary: 'run the same pipeline again (done steps are skipped) and follow it',
    options: { confirm: { type: 'string', arg: 'CLUSTER', help: "the cluster's name: repeating a node removal or an etcd restore asks for it, as starting one does" } },
  },
  { name: 'spec export', args: ['<cluster>'], summary: 'print a saved cluster as KubeKey YAML (no secrets)', options: {} },
  {
    name: 'cluster status',
    args: ['<cluster>'],
    summary: 'read every host now (versions, services, etcd, certificates, disk) and print the verdict; exit 0 only when installed',
    options: {},
  },
  {
    name: 'kubeconfig',
    args: ['<cluster>'],
    summary: 'print the admin kubeconfig, its server set to a control plane that answered the last status (audited)',
    options: { server: { type: 'string', arg: 'URL', help: 'the API server URL to write instead (https://HOST:PORT)' } },
  },
  { name: 'spec validate', args: [], summary: 'check a KubeKey Cluster file without saving or running anything', options: file, required: ['file'] },
  {
    name: 'spec render',
    args: [],
    summary: 'print every file a create run would leave on each host (no host touched, no secret shown); --diff reads the hosts',
    options: {
      ...file,
      host: { type: 'string', arg: 'NAME', help: 'only this host' },
      'out-dir': { type: 'string', short: 'o', arg: 'DIR', help: 'write the files under DIR/<host>/<path> instead of printing them' },
      diff: { type: 'boolean', help: 'compare with the files on the hosts (read-only; needs their pinned host keys); exit 1 when any differs' },
    },
    required: ['file'],
  },
  { name: 'etcd backup', args: ['<cluster>'], summary: 'snapshot etcd, verify it and keep it in the data dir', options: {} },
  { name: 'etcd backups', args: ['<cluster>'], summary: 'list the verified etcd backups of a cluster, newest first', options: {} },
  {
    name: 'etcd restore',
    args: ['<cluster>'],
    summary: 'restore a backup on every etcd member (rolled back if the cluster is not healthy after)',
    options: { backup: { type: 'string', arg: 'ID', help: 'the backup to restore (see: etcd backups)' } },
    required: ['backup'],
  },
  { name: 'etcd roll', args: ['<cluster>'], summary: "bring etcd members to the spec's binary and flags, one member at a time", options: {} },
  { name: 'certs list', args: ['<cluster>'], summary: 'expiry of every etcd certificate (CA, server, peer, client)', options: {} },
  { name: 'certs renew', args: ['<cluster>'], summary: 'renew etcd member and client certificates from the same CA, one member at a time', options: {} },
];

function optionsOf(def: CommandDef): Options {
  const shorts = new Set(Object.values(def.options).map((o) => o.short));
  const shared = Object.fromEntries(Object.entries(common).map(([n, o]) => [n, o.short && shorts.has(o.short) ? { ...o, short: undefined } : o]));
  return { ...def.options, ...shared };
}

const optText = (name: string, o: Opt) => `${o.short ? `-${o.short}, ` : '    '}--${name}${o.arg ? ` ${o.arg}` : ''}`;

export function commandUsage(def: CommandDef): string {
  const opts = Object.entries(optionsOf(def));
  const width = Math.max(...opts.map(([n, o]) => optText(n, o).length));
  const req = (def.required ?? []).map((r) => (def.options[r]?.short ? `-${def.options[r]?.short} ${def.options[r]?.arg}` : `--${r} ${def.options[r]?.arg}`));
  return [
    `usage: kubexms ${[def.name, ...def.args, ...req].join(' ')} [options]`,
    `  ${def.summary}`,
    ...opts.map(([n, o]) => `  ${optText(n, o).padEnd(width)}  ${o.help}`),
  ].join('\n');
}

export const USAGE = [
  'usage: kubexms <command> [options]',
  '',
  ...COMMANDS.map((c) => `  ${[c.name, ...c.args].join(' ').padEnd(22)} ${c.summary}`),
  '',
  'Runs go through the kubexms server when one runs on the data dir (they show live in its dashboard),',
  'else the CLI runs them itself on the same data dir. Exit code: 0 the run succeeded, 1 it failed or was',
  'cancelled, 2 bad input (nothing was run). "kubexms <command> --help" for its options.',
].join('\n');

export type Parsed = { command: CommandDef; values: Record<string, string | boolean | undefined>; positionals: string[] };
export type ParseResult = { help: string } | Parsed;

export function parseCommandLine(argv: readonly string[]): ParseResult {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') return { help: USAGE };
  const command = COMMANDS.find((c) => c.name.split(' ').every((w, i) => argv[i] === w));
  if (!command) throw new UsageError(`unknown command: ${argv.slice(0, 2).join(' ')}`, USAGE);
  const usage = commandUsage(command);
  const rest = argv.slice(command.name.split(' ').length);
  const options = Object.fromEntries(Object.entries(optionsOf(command)).map(([n, o]) => [n, { type: o.type, ...(o.short ? { short: o.short } : {}) }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...rest], options, allowPositionals: true, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const name = /'([^']+)'/.exec(e.message)?.[1];
    throw new UsageError(e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name ? `unknown option ${name}` : (e.message.split('. ')[0] ?? 'bad arguments'), usage);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { help: usage };
  if (parsed.positionals.length !== command.args.length) {
    const want = command.args.length === 0 ? 'no arguments' : command.args.join(' ');
    throw new UsageError(`${command.name}: expected ${want}, got ${parsed.positionals.length ? parsed.positionals.map((p) => JSON.stringify(p)).join(' ') : 'none'}`, usage);
  }
  for (const r of command.required ?? []) if (values[r] === undefined || values[r] === '') throw new UsageError(`${command.name}: --${r} is required`, usage);
  if (values.output !== undefined && values.output !== 'text' && values.output !== 'json') throw new UsageError(`--output must be text or json, not "${String(values.output)}"`, usage);
  if (values.until !== undefined && !InstallModule.safeParse(values.until).success) {
    throw new UsageError(`--until must be one of ${INSTALL_MODULES.join(', ')}, not "${String(values.until)}"`, usage);
  }
  return { command, values, positionals: parsed.positionals };
}

/** A positive integer argument (a run id), or a usage error. */
export function runIdArg(value: string | undefined, usage: string): number {
  const id = Number(value?.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`not a run id: ${JSON.stringify(value)}`, usage);
  return id;
}
