import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../secrets/box';
import { ensureEtcdPki } from './etcd-pki';
import { filePkiStore } from './store';
import { certInfo } from './x509';

const host = (name: string, address: string, internalAddress?: string) =>
  ({ name, address, internalAddress, roles: ['etcd'] as const }) as unknown as { name: string; address: string; roles: ['etcd'] };
const spec = (...hosts: ReturnType<typeof host>[]) => ({ hosts }) as never;

async function tempDir(t: { after(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'kx-pki-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('member certs carry every member name and address plus loopback, and chain to the CA', async (t) => {
  const dir = await tempDir(t);
  const s = spec(host('e1', '10.0.0.1', '192.168.1.1'), host('e2', 'node2.example.com'), host('e3', '10.0.0.3'));
  const pki = await ensureEtcdPki(s, filePkiStore(dir));
  const server = certInfo(pki.certs.get('server-e2')!.cert);
  assert.deepEqual(server.dnsNames, ['e1', 'e2', 'e3', 'localhost', 'node2.example.com']);
  assert.deepEqual(server.ips, ['10.0.0.1', '10.0.0.3', '127.0.0.1', '192.168.1.1', '::1']);
  assert.match(certInfo(pki.certs.get('apiserver-etcd-client')!.cert).subject, /CN=kube-apiserver-etcd-client/);
  await writeFile(path.join(dir, 'chain-ca.pem'), pki.ca);
  await writeFile(path.join(dir, 'chain-leaf.pem'), pki.certs.get('peer-e1')!.cert);
  const out = execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', path.join(dir, 'chain-ca.pem'), path.join(dir, 'chain-leaf.pem')]).toString();
  assert.match(out, /OK/);
  const ext = execFileSync('openssl', ['x509', '-noout', '-ext', 'extendedKeyUsage', '-in', path.join(dir, 'chain-leaf.pem')]).toString();
  assert.match(ext, /TLS Web Server Authentication, TLS Web Client Authentication/);
});

test('a rerun reuses the stored CA and certs; a new member reissues member certs under the same CA', async (t) => {
  const dir = await tempDir(t);
  const two = spec(host('e1', '10.0.0.1'), host('e2', '10.0.0.2'));
  const first = await ensureEtcdPki(two, filePkiStore(dir));
  assert.equal(first.generated.length, 1 + 4 + 2);
  const again = await ensureEtcdPki(two, filePkiStore(dir));
  assert.deepEqual(again.generated, []);
  assert.equal(again.ca, first.ca);
  assert.equal(again.certs.get('server-e1')!.cert, first.certs.get('server-e1')!.cert);
  const three = await ensureEtcdPki(spec(host('e1', '10.0.0.1'), host('e2', '10.0.0.2'), host('e3', '10.0.0.3')), filePkiStore(dir));
  assert.equal(three.ca, first.ca);
  assert.deepEqual([...three.generated].sort(), ['peer-e1', 'peer-e2', 'peer-e3', 'server-e1', 'server-e2', 'server-e3']);
  assert.ok(certInfo(three.certs.get('server-e1')!.cert).ips.includes('10.0.0.3'));
});

test('keys are 0600 in a 0700 dir, and sealed (no PEM on disk) when a secret box is given', async (t) => {
  const dir = await tempDir(t);
  const plain = path.join(dir, 'plain');
  await ensureEtcdPki(spec(host('e1', '10.0.0.1')), filePkiStore(plain));
  assert.equal((await stat(plain)).mode & 0o777, 0o700);
  for (const f of await readdir(plain)) assert.equal((await stat(path.join(plain, f))).mode & 0o777, 0o600, f);
  const sealedDir = path.join(dir, 'sealed');
  const box = createSecretBox(randomBytes(32));
  const pki = await ensureEtcdPki(spec(host('e1', '10.0.0.1')), filePkiStore(sealedDir, box));
  const files = await readdir(sealedDir);
  assert.ok(files.includes('ca.key.sealed') && !files.includes('ca.key'));
  assert.doesNotMatch((await readFile(path.join(sealedDir, 'ca.key.sealed'))).toString('latin1'), /PRIVATE KEY/);
  const reread = await ensureEtcdPki(spec(host('e1', '10.0.0.1')), filePkiStore(sealedDir, box));
  assert.deepEqual(reread.generated, []);
  assert.equal(reread.certs.get('admin')!.key, pki.certs.get('admin')!.key);
  await assert.rejects(ensureEtcdPki(spec(host('e1', '10.0.0.1')), filePkiStore(sealedDir, createSecretBox(randomBytes(32)))), /cannot decrypt/);
});
