import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureArtifact } from '../../server/artifacts/cache';
import { parseSha256Sums } from '../../server/artifacts/resolve';
import { ArtifactError } from '../../server/artifacts/types';
import { ensureMirror, type Mirror } from './serve';

const run = promisify(execFile);
const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';

let mirror: Mirror & { dir: string };
let dataDir: string;

describe('Debian-built artifact mirror', { timeout: 600_000 }, () => {
  before(async () => {
    mirror = await ensureMirror();
    dataDir = await mkdtemp(join(tmpdir(), 'kxms-mirror-'));
  });
  after(async () => {
    await mirror?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('serves etcd 3.4.23 that ensureArtifact verifies against the mirror list, extracts, and runs', async () => {
    const got = await ensureArtifact({ dataDir, component: 'etcd', version: 'v3.4.23', arch, mirror: mirror.url });
    const sums = parseSha256Sums(await readFile(join(mirror.dir, 'SHA256SUMS'), 'utf8'));
    assert.equal(got.ref.trust, 'mirror');
    assert.equal(got.sha256, sums.get(`etcd/v3.4.23/${arch}/etcd-v3.4.23-linux-${arch}.tar.gz`));
    assert.deepEqual(Object.keys(got.files).sort(), ['etcd', 'etcdctl']);
    const { stdout } = await run(got.files.etcd ?? '', ['--version']);
    assert.match(stdout, /etcd Version: 3\.4\.23/);
    const ctl = await run(got.files.etcdctl ?? '', ['version']);
    assert.match(ctl.stdout, /etcdctl version: 3\.4\.23/);
  });

  it('serves containerd 1.6.20 with the official tarball layout', async () => {
    const got = await ensureArtifact({ dataDir, component: 'containerd', version: 'v1.6.20', arch, mirror: mirror.url });
    assert.deepEqual(Object.keys(got.files).sort(), ['containerd', 'containerd-shim-runc-v2', 'ctr']);
    assert.match((await run(got.files.containerd ?? '', ['--version'])).stdout, /containerd .*1\.6\.20/);
    assert.match((await run(got.files.ctr ?? '', ['--version'])).stdout, /ctr .*1\.6\.20/);
  });

  it('serves runc 1.1.5 and the CNI plugins 1.1.1', async () => {
    const runc = await ensureArtifact({ dataDir, component: 'runc', version: 'v1.1.5', arch, mirror: mirror.url });
    assert.match((await run(runc.files.runc ?? '', ['--version'])).stdout, /runc version 1\.1\.5/);
    const cni = await ensureArtifact({ dataDir, component: 'cni-plugins', version: 'v1.1.1', arch, mirror: mirror.url });
    assert.deepEqual(Object.keys(cni.files).sort(), ['bandwidth', 'bridge', 'firewall', 'host-local', 'loopback', 'portmap']);
  });

  it('still refuses a version the mirror does not list', async () => {
    await assert.rejects(
      ensureArtifact({ dataDir, component: 'etcd', version: 'v3.4.24', arch, mirror: mirror.url }),
      (e: unknown) => e instanceof ArtifactError && /^etcd v3\.4\.24 \(\w+\) has no known sha256 and the mirror's/.test(e.message),
    );
  });
});
