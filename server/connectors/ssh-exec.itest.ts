import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { labControl, labHosts } from '../../e2e/hosts/fixture';
import type { LabHost } from '../../e2e/hosts/fixture';
import { ConnectorError } from './connector';
import { SshConnector } from './ssh';
import { kxnopwTarget, kxuserTarget, rootTarget } from './ssh-test-targets';

let hosts: LabHost[] = [];
const open: SshConnector[] = [];
const connector = (...args: ConstructorParameters<typeof SshConnector>) => {
  const c = new SshConnector(...args);
  open.push(c);
  return c;
};
const fast = { keepaliveIntervalMs: 1000, keepaliveCountMax: 2 };
const marker = () => `6${Math.floor(Math.random() * 1e6)}`;
/** how many processes on host i run exactly `sleep <arg>` (the wrapping shells also mention it in their argv) */
const sleeping = async (i: number, arg: string) => Number((await labControl.exec(i, `pgrep -c -f '^sleep ${arg}$' || true`)).stdout.trim());

async function waitFor(check: () => Promise<boolean>, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

before(async () => {
  hosts = await labHosts(3);
});
after(async () => {
  await Promise.all(open.map((c) => c.close()));
});

describe('exec', () => {
  test('100,000 streamed lines arrive complete and in order', async () => {
    const chunks: string[] = [];
    const res = await connector(rootTarget(hosts[0]!)).exec('seq 1 100000', { onStdout: (c) => chunks.push(c) });
    const lines = res.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 100_000);
    assert.ok(lines.every((l, i) => l === String(i + 1)));
    assert.equal(chunks.join(''), res.stdout);
    assert.ok(chunks.length > 1);
  });

  test('stdout and stderr are separate streams, with exit code and signal', async () => {
    const c = connector(rootTarget(hosts[0]!));
    const errs: string[] = [];
    const res = await c.exec('echo out; echo err >&2; exit 4', { onStderr: (t) => errs.push(t) });
    assert.deepEqual(res, { exitCode: 4, signal: null, stdout: 'out\n', stderr: 'err\n' });
    assert.equal(errs.join(''), 'err\n');
    const killed = await c.exec('kill -KILL $$');
    assert.equal(killed.exitCode, null);
    assert.equal(killed.signal, 'SIGKILL');
  });

  test('50 concurrent commands share one connection', async () => {
    const c = connector(rootTarget(hosts[0]!));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => c.exec(`sleep 0.2; echo ${i} "$SSH_CLIENT"`)));
    const ports = new Set<string>();
    results.forEach((r, i) => {
      const [n, , port] = r.stdout.trim().split(' ');
      assert.equal(n, String(i));
      assert.equal(r.exitCode, 0);
      ports.add(port!);
    });
    assert.equal(ports.size, 1);
  });
});

describe('abort and timeout', () => {
  for (const [who, target] of [
    ['root', (h: LabHost) => rootTarget(h)],
    ['kxuser with a sudo password', (h: LabHost) => kxuserTarget(h, { sudoPassword: h.users.kxuser.password })],
    ['kxnopw with sudo -n', (h: LabHost) => kxnopwTarget(h)],
  ] as const) {
    test(`abort kills the remote process (${who})`, async () => {
      const h = hosts[0]!;
      const m = marker();
      const ac = new AbortController();
      const c = connector(target(h));
      const pending = c.exec(`sleep ${m}; echo never`, { signal: ac.signal, sudo: who !== 'root' });
      assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 1));
      ac.abort();
      await assert.rejects(pending, (e: ConnectorError) => e.kind === 'cancelled');
      assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 0));
      assert.equal((await c.exec('echo still usable')).stdout, 'still usable\n');
    });
  }

  test('a timeout is a timeout failure and kills the process', async () => {
    const h = hosts[0]!;
    const m = marker();
    await assert.rejects(connector(rootTarget(h)).exec(`sleep ${m}`, { timeoutMs: 500 }), (e: ConnectorError) => e.kind === 'timeout' && /timed out/.test(e.message));
    assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 0));
  });
});

describe('connection lost', () => {
  test('sshd stopped mid-command: connection lost on that host, the others go on', async () => {
    const [a, b, c] = hosts as [LabHost, LabHost, LabHost];
    const ca = connector(rootTarget(a, fast));
    const cb = connector(rootTarget(b, fast));
    const cc = connector(rootTarget(c, fast));
    let othersDone = false;
    const others = Promise.all([ca.exec('sleep 3; echo done'), cc.exec('sleep 3; echo done')]).then((r) => {
      othersDone = true;
      return r;
    });
    const m = marker();
    const victim = cb.exec(`sleep ${m}`).then(
      () => null,
      (e: ConnectorError) => e,
    );
    assert.ok(await waitFor(async () => (await sleeping(b.index, m)) === 1));
    try {
      await labControl.stopSshd(b.index);
      const e = await victim;
      assert.ok(e instanceof ConnectorError);
      assert.equal(e.kind, 'unreachable');
      assert.match(e.message, new RegExp(`connection lost to root@${b.address}:22`));
      assert.equal(othersDone, false);
      assert.deepEqual((await others).map((r) => r.stdout), ['done\n', 'done\n']);
    } finally {
      await labControl.startSshd(b.index);
      await labControl.exec(b.index, `pkill -f '^sleep ${m}$' || true`);
    }
    assert.equal((await cb.exec('hostname')).stdout.trim(), b.name);
  });

  test('network cut mid-command: connection lost by keepalive, the others go on', async () => {
    const [a, , c] = hosts as [LabHost, LabHost, LabHost];
    const ca = connector(rootTarget(a, fast));
    const cc = connector(rootTarget(c, { ...fast, readyTimeoutMs: 2000 }));
    await cc.exec('true');
    let otherDone = false;
    const other = ca.exec('sleep 6; echo done').then((r) => {
      otherDone = true;
      return r;
    });
    const m = marker();
    const victim = cc.exec(`sleep ${m}`).then(
      () => null,
      (e: ConnectorError) => e,
    );
    assert.ok(await waitFor(async () => (await sleeping(c.index, m)) === 1));
    try {
      await labControl.cut(c.index);
      const e = await victim;
      assert.ok(e instanceof ConnectorError);
      assert.equal(e.kind, 'unreachable');
      assert.match(e.message, /connection lost to .*keepalive/);
      assert.equal(otherDone, false);
      assert.equal((await other).stdout, 'done\n');
    } finally {
      await labControl.heal(c.index);
      await labControl.exec(c.index, `pkill -f '^sleep ${m}$' || true`);
    }
  });
});
