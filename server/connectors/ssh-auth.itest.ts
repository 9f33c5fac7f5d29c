import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { labHosts } from '../../e2e/hosts/fixture';
import type { LabHost } from '../../e2e/hosts/fixture';
import type { ConnectorError } from './connector';
import type { SshConnector } from './ssh';
import { connectorPool, kxnopwTarget, kxuserTarget, rootTarget } from './testing/ssh-test-targets';

const run = promisify(execFile);
let hosts: LabHost[] = [];
let h1: LabHost;
let h2: LabHost;
const { connector, closeAll } = connectorPool();
const whoami = async (c: SshConnector, sudo = false) => (await c.exec('id -un', { sudo })).stdout.trim();

before(async () => {
  hosts = await labHosts(2);
  [h1, h2] = hosts as [LabHost, LabHost];
});
after(async () => {
  await closeAll();
});

describe('authentication', () => {
  test('private key', async () => {
    assert.equal(await whoami(connector(rootTarget(h1))), 'root');
  });

  test('private key with passphrase, and a clear error with a wrong passphrase', async () => {
    const ok = connector(kxnopwTarget(h1, { privateKey: h1.passphraseKey.privateKey, passphrase: h1.passphraseKey.passphrase }));
    assert.equal(await whoami(ok), 'kxnopw');
    const bad = connector(kxnopwTarget(h1, { privateKey: h1.passphraseKey.privateKey, passphrase: 'wrong' }));
    await assert.rejects(bad.exec('true'), (e: ConnectorError) => e.kind === 'auth' && /private key/.test(e.message));
  });

  test('password', async () => {
    assert.equal(await whoami(connector(kxuserTarget(h1))), 'kxuser');
  });

  test('a wrong password is an auth failure naming the methods tried', async () => {
    const c = connector(kxuserTarget(h1, { password: 'not-the-password' }));
    await assert.rejects(c.exec('true'), (e: ConnectorError) => e.kind === 'auth' && /kxuser@198\.51\.100\.\d+:22.*tried: password/.test(e.message));
  });

  test('ssh-agent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kxms-agent-'));
    const sock = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50; i++) {
        if (await run('test', ['-S', sock]).then(() => true, () => false)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const key = join(dir, 'key');
      await writeFile(key, h1.rootKey, { mode: 0o600 });
      await run('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      assert.equal(await whoami(connector(kxnopwTarget(h1, { privateKey: undefined, agent: sock }))), 'kxnopw');
    } finally {
      agent.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sudo', () => {
  test('with the password on stdin, and the caller stdin after it', async () => {
    const c = connector(kxuserTarget(h1, { sudoPassword: h1.users.kxuser.password }));
    const res = await c.exec('id -un; cat', { sudo: true, stdin: 'line one\nline two\n' });
    assert.deepEqual(res, { exitCode: 0, signal: null, stdout: 'root\nline one\nline two\n', stderr: '' });
  });

  test('NOPASSWD user with sudo -n', async () => {
    assert.equal(await whoami(connector(kxnopwTarget(h1)), true), 'root');
  });

  test('a given sudo password never reaches the command when sudo does not ask for it', async () => {
    const c = connector(kxnopwTarget(h1, { sudoPassword: 'unused-secret' }));
    const res = await c.exec('cat', { sudo: true, stdin: 'only this\n' });
    assert.equal(res.stdout, 'only this\n');
  });

  test('sudo that needs a password nobody gave is a clear auth failure', async () => {
    const c = connector(kxuserTarget(h1));
    await assert.rejects(c.exec('true', { sudo: true }), (e: ConnectorError) => e.kind === 'auth' && /needs a password for kxuser, and none was given/.test(e.message));
  });

  test('a wrong sudo password is an auth failure', async () => {
    const c = connector(kxuserTarget(h1, { sudoPassword: 'wrong' }));
    await assert.rejects(c.exec('true', { sudo: true }), (e: ConnectorError) => e.kind === 'auth' && /rejected the password/.test(e.message));
  });

  test('root runs sudo commands directly', async () => {
    assert.equal(await whoami(connector(rootTarget(h1)), true), 'root');
  });
});

describe('jump host', () => {
  test('reaches n2 through n1', async () => {
    const c = connector(kxnopwTarget(h2, { jump: rootTarget(h1) }));
    const res = await c.exec('hostname; echo "$SSH_CLIENT"');
    const [name, client] = res.stdout.trim().split('\n');
    assert.equal(name, h2.name);
    assert.equal(client?.split(' ')[0], h1.address);
  });

  test('an unpinned jump host is refused', async () => {
    const c = connector(rootTarget(h2, { jump: rootTarget(h1, { hostKeyFingerprint: undefined }) }));
    await assert.rejects(c.exec('true'), (e: ConnectorError) => e.kind === 'hostkey' && e.message.includes(h1.address));
  });
});
