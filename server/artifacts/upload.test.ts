import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalConnector } from '../connectors/local';
import { createClusterRuntime, runPipeline } from '../engine';
import type { EngineEvent } from '../engine';
import { uploadArtifactFiles, type ArtifactUploadResult } from './upload';

let root: string;

async function uploadOnce(files: { local: string; remote: string; mode?: number }[]): Promise<{ results: ArtifactUploadResult[]; logs: string[] }> {
  let results: ArtifactUploadResult[] = [];
  const logs: string[] = [];
  const outcome = await runPipeline({
    runId: 'r1',
    runtime: createClusterRuntime({ spec: {}, hosts: [{ name: 'local', address: '127.0.0.1', roles: ['worker'] }] }),
    connectorFor: () => new LocalConnector(),
    onEvent: (e: EngineEvent) => {
      if (e.type === 'log') logs.push(e.text);
    },
    pipeline: {
      name: 'upload',
      modules: [{ name: 'm', tasks: [{ name: 't', steps: [{ name: 'upload', check: async () => false, run: async (ctx) => void (results = await uploadArtifactFiles(ctx, files)) }] }] }],
    },
  });
  assert.equal(outcome.status, 'succeeded', JSON.stringify(outcome.failure));
  return { results, logs };
}

describe('uploadArtifactFiles', () => {
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kxms-upload-'));
    await writeFile(join(root, 'etcd'), '#!/bin/sh\necho etcd\n');
    await writeFile(join(root, 'calico.yaml'), 'kind: List\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('creates the remote directories, uploads with modes, and skips identical files the second time', async () => {
    const files = [
      { local: join(root, 'etcd'), remote: join(root, 'host', 'usr/local/bin/etcd') },
      { local: join(root, 'calico.yaml'), remote: join(root, 'host', 'etc/kubexms/calico.yaml'), mode: 0o644 },
    ];
    const first = await uploadOnce(files);
    assert.deepEqual(first.results.map((r) => r.skipped), [false, false]);
    assert.equal(await readFile(files[0]!.remote, 'utf8'), '#!/bin/sh\necho etcd\n');
    assert.equal((await stat(files[0]!.remote)).mode & 0o777, 0o755);
    assert.equal((await stat(files[1]!.remote)).mode & 0o777, 0o644);
    const second = await uploadOnce(files);
    assert.deepEqual(second.results.map((r) => r.skipped), [true, true]);
    assert.ok(second.logs.some((l) => l.includes('usr/local/bin/etcd: already up to date')));
  });
});
