import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectorError } from './connector';
import { LocalConnector } from './local';
import { sh } from './shell-quote';

const local = new LocalConnector();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms = 5000) {
  const until = Date.now() + ms;
  while (isAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return !isAlive(pid);
}

test('exec resolves with exit code, stdout and stderr even on failure', async () => {
  const ok = await local.exec('printf out; printf err >&2');
  assert.deepEqual(ok, { exitCode: 0, signal: null, stdout: 'out', stderr: 'err' });
  const bad = await local.exec('echo nope >&2; exit 3');
  assert.equal(bad.exitCode, 3);
  assert.equal(bad.stderr, 'nope\n');
});

test('exec streams chunks in order and feeds stdin', async () => {
  const chunks: string[] = [];
  const res = await local.exec('seq 1 20000', { onStdout: (c) => chunks.push(c) });
  assert.equal(chunks.join(''), res.stdout);
  assert.equal(res.stdout.split('\n').length, 20001);
  const echoed = await local.exec('cat', { stdin: 'secret\nline' });
  assert.equal(echoed.stdout, 'secret\nline');
  const noStdin = await local.exec('cat; echo done');
  assert.equal(noStdin.stdout, 'done\n');
});

test('sudo is not applied when already root', async () => {
  assert.equal(process.getuid?.(), 0, 'this test expects to run as root (as CI does)');
  const res = await local.exec('id -u', { sudo: true });
  assert.equal(res.stdout.trim(), '0');
});

test('abort kills the whole process group, background children included', async () => {
  const ac = new AbortController();
  let pid = 0;
  const running = local.exec('sleep 600 & echo $!; wait', {
    signal: ac.signal,
    onStdout: (c) => {
      pid = Number(c.trim());
      ac.abort();
    },
  });
  await assert.rejects(running, (e: unknown) => e instanceof ConnectorError && e.kind === 'cancelled');
  assert.ok(pid > 0);
  assert.ok(await waitGone(pid), `sleep ${pid} still alive`);
});

test('timeoutMs kills the command and throws kind timeout', async () => {
  await assert.rejects(local.exec('sleep 600', { timeoutMs: 100 }), (e: unknown) => e instanceof ConnectorError && e.kind === 'timeout');
});

test('an already aborted signal never starts the command', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kxms-local-'));
  try {
    await assert.rejects(local.exec(sh`touch ${join(dir, 'x')}`, { signal: AbortSignal.abort() }), ConnectorError);
    await assert.rejects(stat(join(dir, 'x')));
  } finally {
    await rm(dir, { recursive: true });
  }
});

test('upload writes with mode and owner, skips identical content, download reads it back', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kxms-local-'));
  try {
    const dest = join(dir, "conf file's.txt");
    const first = await local.upload('hello\n', dest, { mode: 0o600 });
    assert.equal(first.skipped, false);
    assert.equal((await stat(dest)).mode & 0o777, 0o600);
    const second = await local.upload(Buffer.from('hello\n'), dest, { mode: 0o640, owner: 'nobody' });
    assert.equal(second.skipped, true);
    assert.equal(second.sha256, first.sha256);
    const st = await stat(dest);
    assert.equal(st.mode & 0o777, 0o640);
    assert.equal(st.uid, 65534);
    const src = join(dir, 'src.bin');
    const bytes = Buffer.from([0, 0xff, 0xfe, 10, 0x80]);
    await writeFile(src, bytes);
    const owned = join(dir, 'owned.bin');
    const third = await local.upload({ path: src }, owned, { mode: 0o755, owner: 'nobody', group: 'root' });
    assert.equal(third.skipped, false);
    const st3 = await stat(owned);
    assert.equal(st3.mode & 0o777, 0o755);
    assert.equal(st3.uid, 65534);
    assert.deepEqual(await readFile(owned), bytes);
    assert.deepEqual(await local.download(owned), bytes);
    assert.deepEqual(await local.download(owned, { sudo: true }), bytes);
    await assert.rejects(local.download(join(dir, 'missing')), ConnectorError);
  } finally {
    await rm(dir, { recursive: true });
  }
});
