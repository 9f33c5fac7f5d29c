import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { labControl, labHosts } from '../../e2e/hosts/fixture';
import type { LabHost } from '../../e2e/hosts/fixture';
import type { ConnectorError } from './connector';
import { HostKeyError, ensureSuccess, probeHost } from './ssh';
import { connectorPool, rootTarget } from './testing/ssh-test-targets';

let h1: LabHost;
let h2: LabHost;
const { connector, closeAll } = connectorPool();

before(async () => {
  [h1, h2] = (await labHosts(2)) as [LabHost, LabHost];
});
after(async () => {
  await closeAll();
});

describe('host keys', () => {
  test('the pinned key is accepted', async () => {
    assert.equal((await connector(rootTarget(h1)).exec('hostname')).stdout.trim(), h1.name);
  });

  test('an unpinned key is refused, naming the fingerprint it presented', async () => {
    const c = connector(rootTarget(h1, { hostKeyFingerprint: undefined }));
    await assert.rejects(c.exec('true'), (e: HostKeyError) => e.kind === 'hostkey' && e.expected === null && e.got === h1.hostKeyFingerprint && e.message.includes(h1.hostKeyFingerprint));
  });

  test('after the host key is regenerated the old pin is refused, with expected and got', async () => {
    try {
      const fresh = await labControl.regenHostKey(h2.index);
      assert.notEqual(fresh, h2.hostKeyFingerprint);
      const c = connector(rootTarget(h2));
      await assert.rejects(
        c.exec('true'),
        (e: HostKeyError) =>
          e.kind === 'hostkey' && e.expected === h2.hostKeyFingerprint && e.got === fresh && /CHANGED/.test(e.message) && e.message.includes(fresh),
      );
      assert.equal((await connector(rootTarget(h2, { hostKeyFingerprint: fresh })).exec('hostname')).stdout.trim(), h2.name);
    } finally {
      assert.equal(await labControl.restoreHostKey(h2.index), h2.hostKeyFingerprint);
    }
  });
});

describe('probeHost', () => {
  test('reports the fingerprint of an unpinned host and its facts', async () => {
    const probe = await probeHost(rootTarget(h1, { hostKeyFingerprint: undefined }));
    assert.equal(probe.fingerprint, h1.hostKeyFingerprint);
    assert.deepEqual(probe.facts.os, { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    assert.equal(probe.facts.hostname, h1.name);
    const nproc = Number((await labControl.exec(h1.index, 'nproc')).stdout);
    const mem = Number((await labControl.exec(h1.index, "awk '/^MemTotal:/{print $2}' /proc/meminfo")).stdout);
    assert.equal(probe.facts.cpus, nproc);
    assert.equal(probe.facts.memoryKb, mem);
    assert.match(probe.facts.kernel, /^\d+\.\d+/);
    assert.equal(probe.facts.arch, (await labControl.exec(h1.index, 'uname -m')).stdout.trim());
  });

  test('a pin that differs is a hostkey failure', async () => {
    const other = rootTarget(h1, { hostKeyFingerprint: h2.hostKeyFingerprint });
    await assert.rejects(probeHost(other), (e: HostKeyError) => e instanceof HostKeyError && e.expected === h2.hostKeyFingerprint && e.got === h1.hostKeyFingerprint);
  });

  test('an auth failure is reported as such', async () => {
    await assert.rejects(probeHost(rootTarget(h1, { privateKey: undefined, password: 'nope' })), (e: ConnectorError) => e.kind === 'auth');
  });
});

describe('failures a user can act on', () => {
  test('nothing listening: unreachable with address and port', async () => {
    const c = connector({ host: '127.0.0.1', port: 1, username: 'root', password: 'x', connectRetries: 1 });
    await assert.rejects(c.exec('true'), (e: ConnectorError) => e.kind === 'unreachable' && e.message.includes('127.0.0.1:1') && /refused/.test(e.message));
  });

  test('a failed command carries the exit code and the last lines of stderr', async () => {
    const res = await connector(rootTarget(h1)).exec('for i in $(seq 1 40); do echo "line $i" >&2; done; exit 7');
    assert.equal(res.exitCode, 7);
    assert.throws(
      () => ensureSuccess(res, 'the demo step'),
      (e: ConnectorError) => e.kind === 'command' && e.exitCode === 7 && /exit 7/.test(e.message) && e.message.includes('line 40') && !e.message.includes('line 20\n'),
    );
  });
});
