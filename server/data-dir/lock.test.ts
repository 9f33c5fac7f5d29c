import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { acquireRunnerLock, hasStaleLock, interruptedReasons, lockPath, processStartTime, readServerFile, serverFilePath } from './lock';
import { claimDataDir, localUrl } from './server-link';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kubexms-cli-lock-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The pid of a process that has exited (so nothing holds it). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

test('one runner per data dir: a live holder is reported, its release frees the dir, a dead holder is taken over', () => {
  const dir = tmp();
  const first = acquireRunnerLock(dir, 'cli');
  assert.ok('lock' in first);
  assert.equal(fs.statSync(lockPath(dir)).mode & 0o777, 0o600);
  const second = acquireRunnerLock(dir, 'server');
  assert.ok('heldBy' in second);
  assert.deepEqual([second.heldBy.pid, second.heldBy.kind], [process.pid, 'cli']);
  first.lock.release();
  assert.equal(fs.existsSync(lockPath(dir)), false);

  const dead = deadPid();
  fs.writeFileSync(lockPath(dir), JSON.stringify({ pid: dead, kind: 'cli', startTime: null, at: 0 }));
  assert.equal(hasStaleLock(dir), true);
  const taken = acquireRunnerLock(dir, 'cli');
  assert.ok('lock' in taken, 'a lock left by a dead process is taken over');
  assert.equal(hasStaleLock(dir), false);
  assert.deepEqual([taken.lock.previous?.pid, taken.lock.previous?.kind], [dead, 'cli'], 'the dead holder is reported');
  assert.deepEqual(interruptedReasons(taken.lock.previous), {
    running: `the kubexms CLI process (pid ${dead}) that ran it in-process ended while this run was running`,
    queued: `the kubexms CLI process (pid ${dead}) that ran it in-process ended before this run started`,
  });
  taken.lock.release();
  const clean = acquireRunnerLock(dir, 'cli');
  assert.ok('lock' in clean);
  assert.equal(clean.lock.previous, null);
  assert.equal(interruptedReasons(null), undefined);
  clean.lock.release();
});

test('a reused pid (same pid, another start time) does not hold the lock', () => {
  const dir = tmp();
  assert.ok(processStartTime(process.pid));
  fs.writeFileSync(lockPath(dir), JSON.stringify({ pid: process.pid, kind: 'cli', startTime: '1', at: 0 }));
  const got = acquireRunnerLock(dir, 'cli');
  assert.ok('lock' in got);
  got.lock.release();
});

test('the server refuses a data dir a CLI runs on; server.json names a live server only', () => {
  const dir = tmp();
  const cli = acquireRunnerLock(dir, 'cli');
  assert.ok('lock' in cli);
  assert.throws(() => claimDataDir(dir), new RegExp(`a kubexms CLI \\(pid ${process.pid}\\) is running a job in-process on ${dir}`));
  cli.lock.release();
  const link = claimDataDir(dir);
  assert.equal(readServerFile(dir), null);
  fs.writeFileSync(serverFilePath(dir), JSON.stringify({ url: 'http://127.0.0.1:1', pid: deadPid(), startTime: null, version: 'x' }));
  assert.equal(readServerFile(dir), null, 'a server.json of a dead process is ignored');
  link.close();
  assert.equal(fs.existsSync(lockPath(dir)), false);
});

test('the URL a CLI uses for a server bound to a wildcard address is loopback', () => {
  assert.equal(localUrl('0.0.0.0', 3000), 'http://127.0.0.1:3000');
  assert.equal(localUrl('::', 3000), 'http://[::1]:3000');
  assert.equal(localUrl('127.0.0.1', 41234), 'http://127.0.0.1:41234');
  assert.equal(localUrl('::1', 80), 'http://[::1]:80');
});
