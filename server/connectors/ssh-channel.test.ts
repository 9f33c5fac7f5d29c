import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { ClientChannel } from 'ssh2';
import type { ConnectorError } from './connector';
import { killCommand, runOnChannel, wrapCommand } from './ssh-channel';
import type { ChannelIo, SudoMode } from './ssh-channel';

function sh(command: string): Promise<{ code: number | null; stdout: string; stderr: string; pid: number }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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
  assert.equal(res.stderr, `\u001eKXMS-SID ${res.pid}\nerr\n`);
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
