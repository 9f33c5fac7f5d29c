import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startMirror, type Mirror } from '../../e2e/mirror/serve';
import { ensureArtifact } from './cache';
import { ArtifactError } from './types';

const run = promisify(execFile);
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

let root: string;
let mirror: Mirror;
const sums: string[] = [];

async function put(rel: string, data: Buffer | string, listed = true): Promise<void> {
  await mkdir(dirname(join(root, 'mirror', rel)), { recursive: true });
  await writeFile(join(root, 'mirror', rel), data);
  if (listed) sums.push(`${sha(data)}  ${rel}`);
}

async function etcdTarball(version: string): Promise<Buffer> {
  const top = join(root, 'src', `etcd-${version}-linux-amd64`);
  await mkdir(top, { recursive: true });
  await writeFile(join(top, 'etcd'), `#!/bin/sh\necho etcd ${version}\n`);
  await writeFile(join(top, 'etcdctl'), `#!/bin/sh\necho etcdctl ${version}\n`);
  const out = join(root, 'src', `${version}.tar.gz`);
  await run('tar', ['-czf', out, '-C', join(root, 'src'), `etcd-${version}-linux-amd64`]);
  return readFile(out);
}

const dataDir = () => mkdtemp(join(root, 'data-'));
const hits = (suffix: string) => mirror.requests.filter((p) => p.endsWith(suffix)).length;

async function refused(p: Promise<unknown>): Promise<ArtifactError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ArtifactError, `expected ArtifactError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a refusal');
}

describe('ensureArtifact', () => {
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kxms-artifacts-'));
    for (const v of ['v9.9.1', 'v9.9.2', 'v9.9.3']) await put(`etcd/${v}/amd64/etcd-${v}-linux-amd64.tar.gz`, await etcdTarball(v));
    await put('etcd/v9.9.4/amd64/etcd-v9.9.4-linux-amd64.tar.gz', await etcdTarball('v9.9.4'), false);
    await put('runc/v9.1.0/amd64/runc.amd64', '#!/bin/sh\necho runc\n');
    await put('etcd/v3.5.16/amd64/etcd-v3.5.16-linux-amd64.tar.gz', 'not the official etcd', false);
    await put('SHA256SUMS', `${sums.join('\n')}\n`, false);
    mirror = await startMirror(join(root, 'mirror'));
  });
  after(async () => {
    await mirror.close();
    await rm(root, { recursive: true, force: true });
  });

  it('downloads a mirror-listed version, verifies it and extracts the layout files', async () => {
    const got = await ensureArtifact({ dataDir: await dataDir(), component: 'etcd', version: 'v9.9.1', arch: 'amd64', mirror: mirror.url });
    assert.equal(got.ref.trust, 'mirror');
    assert.equal(got.sha256, sha(await readFile(got.path)));
    assert.deepEqual(Object.keys(got.files).sort(), ['etcd', 'etcdctl']);
    assert.equal((await run(got.files.etcd ?? '')).stdout, 'etcd v9.9.1\n');
  });

  it('downloads once for concurrent callers and serves later calls from the cache', async () => {
    const dir = await dataDir();
    const opts = { dataDir: dir, component: 'etcd', version: 'v9.9.2', arch: 'amd64', mirror: mirror.url };
    const all = await Promise.all(Array.from({ length: 5 }, () => ensureArtifact(opts)));
    assert.equal(hits('etcd-v9.9.2-linux-amd64.tar.gz'), 1);
    assert.ok(all.every((a) => a.path === all[0]?.path && a.files.etcd === all[0]?.files.etcd));
    await ensureArtifact(opts);
    assert.equal(hits('etcd-v9.9.2-linux-amd64.tar.gz'), 1);
  });

  it('downloads once when two processes ask at the same time (lock file)', async () => {
    const dir = await dataDir();
    const slow = await startMirror(join(root, 'mirror'), { delayMs: 2500 });
    const cache = join(dirname(fileURLToPath(import.meta.url)), 'cache.ts');
    const script = `import { ensureArtifact } from ${JSON.stringify(cache)};
      const a = await ensureArtifact({ dataDir: ${JSON.stringify(dir)}, component: 'etcd', version: 'v9.9.3', arch: 'amd64', mirror: ${JSON.stringify(slow.url)} });
      process.stdout.write(a.files.etcd);`;
    const child = () =>
      new Promise<string>((ok, fail) => {
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', fail);
        p.on('close', (code) => (code === 0 ? ok(out) : fail(new Error(`child exited ${code}`))));
      });
    const [a, b] = await Promise.all([child(), child()]).finally(() => slow.close());
    assert.equal(a, b);
    assert.equal(slow.requests.filter((p) => p.endsWith('etcd-v9.9.3-linux-amd64.tar.gz')).length, 1);
  });

  it('rejects a download whose sha256 differs from the table and leaves nothing behind', async () => {
    const dir = await dataDir();
    const e = await refused(ensureArtifact({ dataDir: dir, component: 'etcd', version: 'v3.5.16', arch: 'amd64', mirror: mirror.url }));
    assert.match(e.message, /sha256 mismatch for etcd v3\.5\.16 \(amd64\) from http:\/\/127\.0\.0\.1:\d+\/etcd\/v3\.5\.16\/amd64\/etcd-v3\.5\.16-linux-amd64\.tar\.gz: expected b414b27a/);
    assert.match(e.message, new RegExp(`got ${sha('not the official etcd')}; the download was deleted`));
    const left = await readdir(join(dir, 'artifacts', 'etcd', 'v3.5.16', 'amd64'));
    assert.deepEqual(left, []);
  });

  it('refuses a version neither the table nor the mirror lists, before downloading it', async () => {
    const e = await refused(ensureArtifact({ dataDir: await dataDir(), component: 'etcd', version: 'v9.9.4', arch: 'amd64', mirror: mirror.url }));
    assert.match(e.message, /^etcd v9\.9\.4 \(amd64\) has no known sha256 and the mirror's http:\/\/127\.0\.0\.1:\d+\/SHA256SUMS does not list etcd\/v9\.9\.4\/amd64\/etcd-v9\.9\.4-linux-amd64\.tar\.gz/);
    assert.equal(hits('etcd-v9.9.4-linux-amd64.tar.gz'), 0);
    const noMirror = await refused(ensureArtifact({ dataDir: await dataDir(), component: 'etcd', version: 'v9.9.1', arch: 'amd64' }));
    assert.match(noMirror.message, /^etcd v9\.9\.1 \(amd64\) has no known sha256/);
  });

  it('names the URL when the mirror lacks a table version', async () => {
    const e = await refused(ensureArtifact({ dataDir: await dataDir(), component: 'etcd', version: 'v3.5.15', arch: 'amd64', mirror: `${mirror.url}/` }));
    assert.match(e.message, /^GET http:\/\/127\.0\.0\.1:\d+\/etcd\/v3\.5\.15\/amd64\/etcd-v3\.5\.15-linux-amd64\.tar\.gz answered 404/);
  });

  it('keeps a single binary as is, executable', async () => {
    const got = await ensureArtifact({ dataDir: await dataDir(), component: 'runc', version: '9.1.0', arch: 'amd64', mirror: mirror.url });
    assert.deepEqual(Object.keys(got.files), ['runc']);
    assert.equal(got.files.runc, got.path);
    assert.equal((await stat(got.path)).mode & 0o777, 0o755);
  });

  it('stops when the signal is aborted', async () => {
    const e = await refused(
      ensureArtifact({ dataDir: await dataDir(), component: 'etcd', version: 'v9.9.1', arch: 'amd64', mirror: mirror.url, signal: AbortSignal.abort() }),
    );
    assert.equal(e.kind, 'cancelled');
  });
});
