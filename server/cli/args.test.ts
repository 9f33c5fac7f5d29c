import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandLine, runIdArg } from './args';
import { UsageError } from './errors';

const parsed = (argv: string[]) => {
  const r = parseCommandLine(argv);
  assert.ok(!('help' in r), 'expected a command');
  return r;
};
const usageError = (argv: string[], message: RegExp) =>
  assert.throws(
    () => parseCommandLine(argv),
    (err: unknown) => err instanceof UsageError && err.exitCode === 2 && message.test(err.message) && err.usage.startsWith('usage: kubexms'),
  );

test('two-word commands with their options', () => {
  const p = parsed(['add', 'nodes', '-f', 'c.yaml', '--nodes', 'n5,n6', '--accept-new-host-keys', '-o', 'json']);
  assert.equal(p.command.name, 'add nodes');
  assert.deepEqual([p.values.file, p.values.nodes, p.values['accept-new-host-keys'], p.values.output], ['c.yaml', 'n5,n6', true, 'json']);
  const logs = parsed(['runs', 'logs', '12', '--host', 'n4', '--step', 'Check memory']);
  assert.deepEqual([logs.command.name, logs.positionals, logs.values.host, logs.values.step], ['runs logs', ['12'], 'n4', 'Check memory']);
});

test('bad input is a usage error (exit 2) naming the problem, with the usage text', () => {
  usageError(['preflight', '-f', 'c.yaml', '--bogus'], /^unknown option --bogus$/);
  usageError(['preflight'], /--file is required/);
  usageError(['add', 'nodes', '-f', 'c.yaml'], /--nodes is required/);
  usageError(['runs', 'show'], /expected <id>, got none/);
  usageError(['runs', 'show', '1', '2'], /expected <id>, got "1" "2"/);
  usageError(['runs', 'list', '--nodes', 'a'], /unknown option --nodes/);
  usageError(['create', 'clusters'], /unknown command: create clusters/);
  usageError(['preflight', '-f', 'c.yaml', '-o', 'yaml'], /--output must be text or json/);
});

test('help at the top and per command', () => {
  const top = parseCommandLine([]);
  assert.ok('help' in top && /runs show <id>/.test(top.help));
  const one = parseCommandLine(['reset', '--help']);
  assert.ok('help' in one && /^usage: kubexms reset -f FILE \[options\]/.test(one.help) && /--accept-new-host-keys/.test(one.help));
});

test('run ids', () => {
  assert.equal(runIdArg('#42', ''), 42);
  assert.throws(() => runIdArg('x', 'u'), UsageError);
  assert.throws(() => runIdArg('0', 'u'), UsageError);
});

test('--until names a module of createCluster/addNodes; anything else (or preflight) is a usage error', () => {
  assert.equal(parsed(['create', 'cluster', '-f', 'c.yaml', '--until', 'etcd']).values.until, 'etcd');
  assert.equal(parsed(['add', 'nodes', '-f', 'c.yaml', '--nodes', 'n5', '--until', 'containerd']).values.until, 'containerd');
  usageError(['create', 'cluster', '-f', 'c.yaml', '--until', 'etc'], /--until must be one of preflight, kernel, containerd, etcd, kubernetes, not "etc"/);
  usageError(['preflight', '-f', 'c.yaml', '--until', 'etcd'], /^unknown option --until$/);
});

test('spec render takes -o DIR (its output dir); --output json still works there, and -o stays the format elsewhere', () => {
  const r = parseCommandLine(['spec', 'render', '-f', 'c.yaml', '-o', 'out', '--output', 'json', '--diff']);
  assert.ok(!('help' in r));
  assert.equal(r.values['out-dir'], 'out');
  assert.equal(r.values.output, 'json');
  assert.equal(r.values.diff, true);
  const v = parseCommandLine(['spec', 'validate', '-f', 'c.yaml', '-o', 'json']);
  assert.ok(!('help' in v) && v.values.output === 'json');
  const help = parseCommandLine(['spec', 'render', '--help']);
  assert.ok('help' in help && /-o, --out-dir DIR/.test(help.help) && /^ {6}--output text\|json/m.test(help.help), 'help' in help ? help.help : '');
});
