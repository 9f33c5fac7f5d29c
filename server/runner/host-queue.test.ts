import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostQueue, hostIdentity, type QueuedJob } from './host-queue';

const job = (runId: number, hosts: Record<string, string>): QueuedJob => ({ runId, hosts: new Map(Object.entries(hosts)) });

test('runs on disjoint hosts start together; an overlapping one waits with the blocking run and hosts named', () => {
  const q = new HostQueue<QueuedJob>();
  q.enqueue(job(1, { 'a:22': 'n1', 'b:22': 'n2' }));
  q.enqueue(job(2, { 'c:22': 'n3' }));
  q.enqueue(job(3, { 'b:22': 'n2', 'a:22': 'n1', 'd:22': 'n4' }));
  const first = q.schedule();
  assert.deepEqual(first.start.map((j) => j.runId), [1, 2]);
  assert.deepEqual(first.waiting.map((w) => [w.job.runId, w.reason]), [[3, 'waiting for run #1 on n1, n2']]);
  q.release(1);
  assert.deepEqual(q.schedule().start.map((j) => j.runId), [3]);
  assert.equal(q.holderOf('d:22'), 3);
});

test('FIFO: a later run does not overtake an earlier queued run on a shared host', () => {
  const q = new HostQueue<QueuedJob>();
  q.enqueue(job(1, { 'a:22': 'n1' }));
  q.schedule();
  q.enqueue(job(2, { 'a:22': 'n1', 'b:22': 'n2' }));
  q.enqueue(job(3, { 'b:22': 'n2' }));
  const s = q.schedule();
  assert.deepEqual(s.start, []);
  assert.deepEqual(s.waiting.map((w) => w.reason), ['waiting for run #1 on n1', 'waiting for run #2 on n2']);
  q.release(1);
  assert.deepEqual(q.schedule().start.map((j) => j.runId), [2]);
  q.release(2);
  assert.deepEqual(q.schedule().start.map((j) => j.runId), [3]);
});

test('host identity is address and port: the same address on another port is another host', () => {
  assert.equal(hostIdentity('Node1.Example', 22), 'node1.example:22');
  const q = new HostQueue<QueuedJob>();
  q.enqueue(job(1, { [hostIdentity('h', 22)]: 'x' }));
  q.enqueue(job(2, { [hostIdentity('h', 2222)]: 'y' }));
  assert.equal(q.schedule().start.length, 2);
  assert.equal(q.remove(2), undefined);
});

test('busy names the runs holding or waiting for any of the given hosts, with the hosts they share', () => {
  const q = new HostQueue<QueuedJob>();
  q.enqueue(job(1, { 'a:22': 'n1' }));
  q.enqueue(job(2, { 'a:22': 'n1', 'b:22': 'n2' }));
  q.schedule();
  const mine = new Map([['a:22', 'n1'], ['b:22', 'n2'], ['c:22', 'n3']]);
  assert.deepEqual(q.busy(mine), [{ runId: 1, hosts: ['n1'] }, { runId: 2, hosts: ['n1', 'n2'] }]);
  assert.deepEqual(q.busy(new Map([['c:22', 'n3']])), []);
});
