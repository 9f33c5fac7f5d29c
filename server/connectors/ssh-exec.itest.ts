import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { labControl, labHosts } from '../../e2e/hosts/fixture';
import type { LabHost } from '../../e2e/hosts/fixture';
import { ConnectorError } from './connector';
import { REMOTE_PATH } from './ssh-channel';
import { connectorPool, kxnopwTarget, kxuserTarget, rootTarget } from './testing/ssh-test-targets';

let hosts: LabHost[] = [];
const { connector, closeAll } = connectorPool();
const fast = { keepaliveIntervalMs: 1000, keepaliveCountMax: 2 };
const marker = () => `6${Math.floor(Math.random() * 1e6)}`;
/** how many processes on host i run exactly `sleep <arg>` (the wrapping shells also mention it in their argv) */
const sleeping = async (i: number, arg: string) => Number((await labControl.exec(i, `pgrep -c -f '^sleep ${arg}$' || true`)).stdout.trim());

/** resolves to the error the promise rejects with (null on success), so a rejection is never unhandled while the test works */
const settle = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

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
  await closeAll();
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

  test('as kxuser (Debian user PATH, no sbin) and kxnopw, with and without sudo, every command finds the sbin tools', async () => {
    const tools = ['sysctl', 'modprobe', 'iptables', 'ip', 'systemctl', 'sha256sum'];
    for (const target of [kxuserTarget(hosts[0]!, { sudoPassword: hosts[0]!.users.kxuser.password }), kxnopwTarget(hosts[0]!)]) {
      const c = connector(target);
      const login = await c.exec('echo "$PATH"');
      assert.equal(login.stdout, `/usr/local/bin:/usr/bin:/bin:/usr/games:${REMOTE_PATH}\n`, "Debian's user PATH (no sbin), then the wrapper's");
      for (const sudo of [false, true]) {
        const res = await c.exec(`for t in ${tools.join(' ')}; do command -v "$t" >/dev/null || echo "missing $t"; done; id -u`, { sudo });
        assert.match(res.stdout, sudo ? /^0\n$/ : /^[1-9]\d*\n$/, `${target.username} sudo=${sudo}: ${res.stdout}`);
      }
      const read = await c.exec('sysctl -n net.ipv4.ip_forward');
      assert.match(read.stdout, /^[01]\n$/, `${target.username}: ${read.stderr}`);
    }
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
    // The first command on a connection goes through the wrapper (session id line); once the login shell is known to
    // be a POSIX sh, commands without sudo run directly in it and abort finds them by their tag.
    test(`abort kills the remote process and its children (${who}), first command and later ones, with and without sudo`, async () => {
      const h = hosts[0]!;
      const c = connector(target(h));
      for (const sudo of who === 'root' ? [false, false] : [false, false, true]) {
        const m = marker();
        const ac = new AbortController();
        const pending = c.exec(`sleep ${m} & sleep ${m}; echo never`, { signal: ac.signal, sudo });
        assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 2));
        ac.abort();
        await assert.rejects(pending, (e: ConnectorError) => e.kind === 'cancelled');
        assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 0), `${who} sudo=${sudo}`);
      }
      assert.equal((await c.exec('echo still usable')).stdout, 'still usable\n');
    });
  }

  test('close() ends the commands still running on the host', async () => {
    const h = hosts[0]!;
    const m = marker();
    const c = connector(rootTarget(h));
    await c.exec('true');
    const pending = settle(c.exec(`sleep ${m}`));
    assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 1));
    await c.close();
    const e = await pending;
    assert.ok(e instanceof ConnectorError && e.kind === 'cancelled');
    assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 0));
  });

  test('a timeout is a timeout failure and kills the process', async () => {
    const h = hosts[0]!;
    const m = marker();
    await assert.rejects(connector(rootTarget(h)).exec(`sleep ${m}`, { timeoutMs: 500 }), (e: ConnectorError) => e.kind === 'timeout' && /timed out/.test(e.message));
    assert.ok(await waitFor(async () => (await sleeping(h.index, m)) === 0));
  });
});

/**
 * Runs a long command on `victim` and commands on `others` that finish only when told (a file appears), injects
 * `fault`, and returns the victim's error once the others have finished on their still-working connections.
 */
async function loseOne(victim: LabHost, others: LabHost[], fault: (i: number) => Promise<void>, repair: (i: number) => Promise<void>) {
  const m = marker();
  const go = `/tmp/kxms-go-${m}`;
  const conns = others.map((h) => connector(rootTarget(h, fast)));
  const cv = connector(rootTarget(victim, { ...fast, readyTimeoutMs: 2000 }));
  let othersDone = 0;
  const pending = conns.map(async (c) => {
    const res = await c.exec(`while [ ! -e ${go} ]; do sleep 0.1; done; rm -f ${go}; echo done`);
    othersDone += 1;
    return res;
  });
  const lost = settle(cv.exec(`sleep ${m}`));
  assert.ok(await waitFor(async () => (await sleeping(victim.index, m)) === 1));
  try {
    await fault(victim.index);
    const error = await lost;
    assert.equal(othersDone, 0);
    await Promise.all(others.map((h) => labControl.exec(h.index, `touch ${go}`)));
    assert.deepEqual((await Promise.all(pending)).map((r) => r.stdout), others.map(() => 'done\n'));
    return { error, connector: cv };
  } finally {
    await repair(victim.index);
    await labControl.exec(victim.index, `pkill -f '^sleep ${m}$' || true`);
  }
}

describe('connection lost', () => {
  test('sshd stopped mid-command: connection lost on that host, the others go on', async () => {
    const [a, b, c] = hosts as [LabHost, LabHost, LabHost];
    const { error, connector: cb } = await loseOne(b, [a, c], labControl.stopSshd, labControl.startSshd);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, new RegExp(`connection lost to root@${b.address}:22`));
    assert.equal((await cb.exec('hostname')).stdout.trim(), b.name);
  });

  test('network cut mid-command: connection lost by keepalive, the others go on', async () => {
    const [a, b, c] = hosts as [LabHost, LabHost, LabHost];
    const { error } = await loseOne(c, [a, b], labControl.cut, labControl.heal);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.kind, 'unreachable');
    assert.match(error.message, /connection lost to .*keepalive/);
  });
});
