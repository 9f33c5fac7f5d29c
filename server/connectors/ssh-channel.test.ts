import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { ClientChannel } from 'ssh2';
import type { ConnectorError } from './connector';
import { directCommand, isPosixShell, killCommand, killTaggedCommand, REMOTE_PATH, runOnChannel, wrapCommand } from './ssh-channel';
import type { ChannelIo, SudoMode } from './ssh-channel';

function sh(command: string, shell = 'sh'): Promise<{ code: number | null; stdout: string; stderr: string; pid: number }> {
  return new Promise((resolve) => {
    const child = spawn(shell, ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, pid: child.pid! }));
  });
}

test('the wrapped command reports its session id on stderr, then runs the command byte for byte', async () => {
  const res = await sh(wrapCommand(`printf '%s|' "it's" '$HOME' "\\$1"; echo; echo err >&2; exit 3`, { kind: 'none' }));
  assert.equal(res.code, 3);
  assert.equal(res.stdout, `it's|$HOME|$1|\n`);
  assert.equal(res.stderr, `\u001eKXMS-SID ${res.pid} /bin/bash\nerr\n`);
});

test('the direct form runs the command byte for byte in the login shell, sbin appended to PATH, tag exported, stdin /dev/null without input', async () => {
  for (const shell of ['bash', 'dash']) {
    const res = await sh(directCommand(`printf '%s|' "it's" '$HOME' "$KXMS_TAG"; echo; echo "$PATH" | grep -c ':${REMOTE_PATH}$'; cat; echo err >&2; exit 3`, 'ab12.7.', false), shell);
    assert.deepEqual([res.code, res.stdout, res.stderr], [3, `it's|$HOME|ab12.7.|\n1\n`, 'err\n'], shell);
  }
  assert.throws(() => directCommand('true', 'x; rm -rf /'), /bad command tag/);
  assert.deepEqual(['/bin/bash', '/usr/bin/dash', 'sh', '/bin/zsh', '/usr/bin/fish', '', undefined].map(isPosixShell), [true, true, true, false, false, false, false]);
});

test('killTaggedCommand ends the tagged session among its parent\'s children (exec\'d or not, children included), nothing else', async () => {
  const start = (command: string) => spawn('bash', ['-c', command], { detached: true, stdio: 'ignore' });
  const closed = (c: ReturnType<typeof spawn>) => new Promise((r) => c.on('close', r));
  const execd = start(directCommand('sleep 310', 'ab12.1.'));
  const shell = start(directCommand('sleep 311 & sleep 312; wait', 'ab12.2.'));
  const other = start(directCommand('sleep 313', 'ab12.21.'));
  const done = [closed(execd), closed(shell)];
  try {
    await new Promise((r) => setTimeout(r, 300));
    await sh(killTaggedCommand('ab12.1.'));
    await sh(killTaggedCommand('ab12.2.'));
    await Promise.all(done);
    for (const c of [execd, shell]) assert.equal((await sh(`pgrep -s ${c.pid} || true`)).stdout, '');
    assert.equal(other.exitCode, null, 'a session whose tag only starts like the killed one is left alone');
    assert.match((await sh(`pgrep -s ${other.pid} || true`)).stdout, /\d/);
  } finally {
    other.kill('SIGKILL');
  }
});

test('killCommand ends every process of a session, children included', async () => {
  const child = spawn('sh', ['-c', 'sleep 300 & sleep 301; wait'], { detached: true, stdio: 'ignore' });
  const done = new Promise((r) => child.on('close', r));
  await new Promise((r) => setTimeout(r, 200));
  await sh(killCommand(child.pid!));
  await done;
  const left = await sh(`pgrep -s ${child.pid} || true`);
  assert.equal(left.stdout, '');
});

class FakeChannel extends EventEmitter {
  stderr = new EventEmitter();
  written: string[] = [];
  ended = false;
  write(data: string | Buffer) {
    this.written.push(String(data));
    return true;
  }
  end() {
    this.ended = true;
  }
  close() {
    this.emit('close');
  }
  signal() {}
}

function fakeIo(channel: FakeChannel, commands: string[] = []): ChannelIo {
  return {
    open: async (command, attach) => {
      commands.push(command);
      attach(channel as unknown as ClientChannel);
    },
    onLost: () => () => {},
    killSession: async () => {},
    killTagged: async () => {},
    where: 'h:22',
    username: 'kxuser',
  };
}

const password: SudoMode = { kind: 'password', password: 's3cret' };

test('sudo password: written only after the prompt, stdin only after the command started, markers stripped', async () => {
  const ch = new FakeChannel();
  const commands: string[] = [];
  const errs: string[] = [];
  const result = runOnChannel(fakeIo(ch, commands), { command: 'cat', sudo: password, stdin: 'input\n', onStderr: (t) => errs.push(t) });
  assert.match(commands[0]!, /^sudo -S -p /);
  assert.ok(!commands[0]!.includes('s3cret'));
  assert.deepEqual(ch.written, []);
  ch.stderr.emit('data', Buffer.from('\u001eKXMS-SUDO-'));
  assert.deepEqual(ch.written, []);
  ch.stderr.emit('data', Buffer.from('PROMPT:'));
  assert.deepEqual(ch.written, ['s3cret\n']);
  assert.equal(ch.ended, false);
  ch.stderr.emit('data', Buffer.from('\u001eKXMS-SID 42\nwarn'));
  assert.deepEqual(ch.written, ['s3cret\n', 'input\n']);
  assert.equal(ch.ended, true);
  ch.emit('data', Buffer.from('input\n'));
  ch.emit('exit', 0);
  ch.emit('close');
  assert.deepEqual(await result, { exitCode: 0, signal: null, stdout: Buffer.from('input\n'), stderr: 'warn' });
  assert.equal(errs.join(''), 'warn');
});

test('sudo password: a second prompt means the password was rejected', async () => {
  const ch = new FakeChannel();
  const result = runOnChannel(fakeIo(ch), { command: 'true', sudo: password });
  ch.stderr.emit('data', Buffer.from('\u001eKXMS-SUDO-PROMPT:Sorry, try again.\n\u001eKXMS-SUDO-PROMPT:'));
  assert.deepEqual(ch.written, ['s3cret\n']);
  ch.emit('exit', 1);
  ch.emit('close');
  await assert.rejects(result, (e: ConnectorError) => e.kind === 'auth' && /rejected the password/.test(e.message) && e.stderrTail.includes('Sorry'));
});

test('sudo -n that needs a password is an auth failure that says what to do', async () => {
  const ch = new FakeChannel();
  const result = runOnChannel(fakeIo(ch), { command: 'true', sudo: { kind: 'nopass' } });
  ch.stderr.emit('data', Buffer.from('sudo: a password is required\n'));
  ch.emit('exit', 1);
  ch.emit('close');
  await assert.rejects(result, (e: ConnectorError) => e.kind === 'auth' && /needs a password for kxuser, and none was given/.test(e.message));
});

test('a tagged command: sent in the direct form, stderr passed through untouched, abort kills by its tag', async () => {
  const ch = new FakeChannel();
  const commands: string[] = [];
  const killed: string[] = [];
  const io = { ...fakeIo(ch, commands), killTagged: async (tag: string) => void killed.push(tag) };
  const ac = new AbortController();
  const errs: string[] = [];
  const result = runOnChannel(io, { command: 'sleep 600', sudo: { kind: 'none' }, tag: 'ab12.3.', signal: ac.signal, onStderr: (t) => errs.push(t) });
  assert.equal(commands[0], directCommand('sleep 600', 'ab12.3.', false));
  ch.stderr.emit('data', Buffer.from('first line\n'));
  assert.deepEqual(errs, ['first line\n']);
  const rejected = assert.rejects(result, (e: ConnectorError) => e.kind === 'cancelled');
  ac.abort();
  await rejected;
  assert.deepEqual(killed, ['ab12.3.']);
  await assert.rejects(runOnChannel(io, { command: 'true', sudo: { kind: 'nopass' }, tag: 'ab12.4.' }), /without sudo/);
});

test('aborted while the channel was opening (by the caller or by the connector closing): the command is killed, not left running', async () => {
  for (const which of ['signal', 'stopSignal'] as const) {
    const ch = new FakeChannel();
    const killed: string[] = [];
    const ac = new AbortController();
    const io: ChannelIo = {
      ...fakeIo(ch),
      open: async (_command, attach) => {
        ac.abort(); // between the request and the channel's confirmation
        attach(ch as unknown as ClientChannel);
      },
      killTagged: async (tag) => void killed.push(tag),
    };
    await assert.rejects(runOnChannel(io, { command: 'sleep 600', sudo: { kind: 'none' }, tag: 'ab12.5.', [which]: ac.signal }), (e: ConnectorError) => e.kind === 'cancelled', which);
    assert.deepEqual(killed, ['ab12.5.'], which);
  }
});
