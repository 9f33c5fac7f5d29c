import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { labControl, labHosts } from '../../e2e/hosts/fixture';
import type { LabHost } from '../../e2e/hosts/fixture';
import type { ConnectorError } from './connector';
import { connectorPool, kxnopwTarget, kxuserTarget, rootTarget } from './testing/ssh-test-targets';

let h: LabHost;
let dir: string;
const { connector, closeAll } = connectorPool();
const remoteDir = `/opt/kxms-itest-${process.pid}`;
const onHost = async (cmd: string) => (await labControl.exec(h.index, cmd)).stdout.trim();

before(async () => {
  [h] = (await labHosts(1)) as [LabHost];
  dir = await mkdtemp(join(tmpdir(), 'kxms-files-'));
});
after(async () => {
  await closeAll();
  await labControl.exec(h.index, `rm -rf ${remoteDir}`);
  await rm(dir, { recursive: true, force: true });
});

describe('upload', () => {
  test('50 MB through sudo into a root-owned path: owner, group and mode right; the second upload is skipped', async () => {
    const data = randomBytes(50 * 1024 * 1024);
    const sha = createHash('sha256').update(data).digest('hex');
    const c = connector(kxnopwTarget(h));
    const path = `${remoteDir}/big/blob.bin`;
    const first = await c.upload(data, path, { mode: 0o640, owner: 'root', group: 'kxnopw', sudo: true });
    assert.deepEqual(first, { skipped: false, sha256: sha, bytes: data.length });
    assert.equal(await onHost(`stat -c '%a %U %G %s' ${path}`), `640 root kxnopw ${data.length}`);
    assert.equal(await onHost(`sha256sum ${path} | cut -c1-64`), sha);
    const mtime = await onHost(`stat -c %Y.%y ${path}`);
    const second = await c.upload(data, path, { mode: 0o640, owner: 'root', group: 'kxnopw', sudo: true });
    assert.equal(second.skipped, true);
    assert.equal(await onHost(`stat -c %Y.%y ${path}`), mtime);
    assert.equal(await onHost(`ls -A /tmp | grep -c kxms-upload || true`), '0');
  });

  test('a skipped upload still fixes mode and owner', async () => {
    const c = connector(rootTarget(h));
    const path = `${remoteDir}/fix.conf`;
    await c.upload('a=1\n', path, { mode: 0o600 });
    assert.equal(await onHost(`stat -c '%a %U' ${path}`), '600 root');
    const again = await c.upload('a=1\n', path, { mode: 0o644, owner: 'kxuser' });
    assert.equal(again.skipped, true);
    assert.equal(await onHost(`stat -c '%a %U' ${path}`), '644 kxuser');
  });

  test('from a local file path, as root', async () => {
    const local = join(dir, 'unit.service');
    await writeFile(local, '[Unit]\nDescription=kxms test\n');
    const path = `${remoteDir}/unit.service`;
    const res = await connector(rootTarget(h)).upload({ path: local }, path);
    assert.equal(res.skipped, false);
    assert.equal(await onHost(`cat ${path}; stat -c ' %a' ${path}`), '[Unit]\nDescription=kxms test\n 644');
  });

  test('with a sudo password; without sudo into a root path it fails with the reason', async () => {
    const path = `${remoteDir}/pw.txt`;
    const c = connector(kxuserTarget(h, { sudoPassword: h.users.kxuser.password }));
    await c.upload('secret-free\n', path, { mode: 0o600, owner: 'root', sudo: true });
    assert.equal(await onHost(`stat -c '%a %U' ${path}`), '600 root');
    await assert.rejects(
      c.upload('x', `${remoteDir}/denied.txt`),
      (e: ConnectorError) => e.kind === 'command' && /Permission denied/.test(e.message) && e.message.includes(`${remoteDir}/denied.txt`),
    );
  });
});

describe('download', () => {
  test('a root-only file through sudo, and a readable file over SFTP', async () => {
    await labControl.exec(h.index, `mkdir -p ${remoteDir} && printf 'k=v\\n' > ${remoteDir}/root-only && chmod 600 ${remoteDir}/root-only`);
    const c = connector(kxnopwTarget(h));
    assert.equal((await c.download(`${remoteDir}/root-only`, { sudo: true })).toString(), 'k=v\n');
    await assert.rejects(c.download(`${remoteDir}/root-only`), (e: ConnectorError) => e.kind === 'command');
    assert.equal((await c.download('/etc/hostname')).toString().trim(), h.name);
  });
});
