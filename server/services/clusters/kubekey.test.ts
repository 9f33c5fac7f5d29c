import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { openDb } from '../../db/client';
import { clusters } from '../../db/schema';
import { createSecretBox } from '../../secrets/box';
import { importKubeKey, withSecrets } from '../../spec';
import { createCluster } from './create-cluster';
import { getCluster } from './get-cluster';
import { exportKubeKey } from './kubekey';
import { updateCluster } from './update-cluster';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kx-kubekey-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const deps = { db: openDb(path.join(dir, 'kubexms.db')), secretBox: createSecretBox(Buffer.alloc(32, 7)) };
const by = { actor: 'test', address: 'local' };
const text = fs.readFileSync(new URL('../../spec/fixtures/kubekey-roundtrip.yaml', import.meta.url), 'utf8');
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

test('a cluster created from a KubeKey file exports that file, secrets blanked, and later edits only where they changed', () => {
  const r = importKubeKey(text);
  assert.ok(r.ok && r.spec, JSON.stringify(r.errors));
  const spec = withSecrets(r.spec, Object.fromEntries(r.missingSecrets.map((m) => [m.path, KEY])));
  const { id } = createCluster(deps, { spec, kubekeySource: text }, by);
  const stored = deps.db.select({ s: clusters.kubekeySource }).from(clusters).get()?.s ?? '';
  assert.ok(!stored.includes('Sup3r$ecret'), 'no secret value is kept with the file');
  const first = exportKubeKey(deps, { clusterId: id }).text;
  assert.equal(first, text.replace('password: "Sup3r$ecret"', 'password: "" # secret not exported').replace('password: "Sup3r$ecret"}', 'password: ""}'));

  const detail = getCluster(deps, { clusterId: id });
  assert.equal(detail.draft, false);
  const next = structuredClone(detail.spec);
  next.network.podCidr = '10.244.0.0/16';
  updateCluster(deps, { clusterId: id, expectedVersion: detail.version, spec: { ...next, hosts: next.hosts.map((h) => ({ ...h, auth: { type: h.auth!.type }, sudoPassword: undefined })) } }, by);
  const second = exportKubeKey(deps, { clusterId: id }).text;
  const diff = second.split('\n').filter((l, i) => l !== first.split('\n')[i]);
  assert.deepEqual(diff, ['    kubePodsCIDR: 10.244.0.0/16']);
});
