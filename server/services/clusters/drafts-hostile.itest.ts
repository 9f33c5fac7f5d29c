import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { hostileSpecCases } from '../../spec/fixtures/hostile/cases';
import { type Loose, validDraft } from '../../spec/fixtures/valid-spec';
import { ServiceError } from '../../errors';
import { createCluster } from './create-cluster';
import { removeCluster } from './delete-cluster';
import { getCluster } from './get-cluster';
import { importKubeKey } from './kubekey';
import { loadClusterForRun } from './load-for-run';
import { saveDraft } from './save-draft';
import { dbBytes, rowCounts, tester, testEnv } from '../testing/test-env';
import { updateCluster } from './update-cluster';

const get = (o: unknown, path: string) => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return e instanceof ServiceError ? e.code : String(e);
  }
};

describe('drafts', () => {
  const env = testEnv();
  after(() => env.close());

  it('stores a partial draft with encrypted secrets that carry over when it is saved', async () => {
    const draft = { name: 'wip', hosts: [{ name: 'n1', address: '198.51.100.11', auth: { type: 'password', password: 'draft-Pw-771' } }, { address: 'x' }] };
    const d = saveDraft(env, { draft });
    await assert.rejects(loadClusterForRun(env, d.id), (e: unknown) => e instanceof ServiceError && e.code === 'PRECONDITION_FAILED');
    const got = getCluster(env, { clusterId: d.id });
    assert.equal(got.draft, true);
    assert.deepEqual(get(got.spec, 'hosts.0.auth.password'), { set: true });
    assert.equal(dbBytes(env.file).indexOf(Buffer.from('draft-Pw-771')), -1);
    const unnamed = structuredClone(draft) as Loose;
    unnamed.hosts[1].auth = { type: 'password', password: 'orphan-Pw' };
    assert.throws(() => saveDraft(env, { clusterId: d.id, expectedVersion: 1, draft: unnamed }), (e: unknown) => e instanceof ServiceError && e.fieldErrors[0]?.path === 'hosts.1.auth.password');
    assert.throws(() => saveDraft(env, { draft: { hosts: [] } }), (e: unknown) => e instanceof ServiceError && e.fieldErrors[0]?.path === 'name');

    const full = validDraft() as Loose;
    full.name = 'wip';
    full.hosts[0] = { name: 'n1', address: '198.51.100.11', auth: { type: 'password' }, roles: ['etcd', 'control-plane'] };
    const saved = updateCluster(env, { clusterId: d.id, expectedVersion: 1, spec: full }, tester);
    const run = await loadClusterForRun(env, saved.id);
    assert.deepEqual(run.spec.hosts[0]!.auth, { type: 'password', password: 'draft-Pw-771' });
    assert.equal(code(() => saveDraft(env, { clusterId: d.id, expectedVersion: 2, draft })), 'CONFLICT');
  });

  it('imports KubeKey YAML without writing anything', () => {
    const before = rowCounts(env.db);
    const r = importKubeKey({ text: readFileSync(new URL('../../spec/fixtures/kubekey-sample.yaml', import.meta.url), 'utf8') });
    assert.equal(r.ok, true, JSON.stringify(r.errors));
    assert.ok((r.spec?.hosts.length ?? 0) > 0);
    const bad = importKubeKey({ text: 'spec:\n  hosts:\n    - {name: "a;b", address: 1.2.3.4}\n' });
    assert.equal(bad.ok, false);
    assert.ok(bad.errors.some((e) => e.line !== undefined));
    assert.deepEqual(rowCounts(env.db), before);
  });
});

describe('hostile corpus through createCluster', () => {
  const env = testEnv();
  after(() => env.close());

  it('rejects each hostile spec with a field error and writes nothing, or stores its value byte-identical', async () => {
    const cases = hostileSpecCases();
    assert.ok(cases.length >= 50);
    let carried = 0;
    for (const c of cases) {
      const before = rowCounts(env.db);
      let saved: { id: number } | undefined;
      try {
        saved = createCluster(env, { spec: c.spec }, tester);
      } catch (e) {
        assert.ok(e instanceof ServiceError && e.code === 'BAD_REQUEST', `${c.id}: ${String(e)}`);
        assert.equal(c.expect, 'reject', `${c.id} was rejected: ${JSON.stringify(e.fieldErrors).slice(0, 300)}`);
        assert.ok(e.fieldErrors.some((f) => f.path === c.field), `${c.id}: no error at ${c.field}`);
        assert.deepEqual(rowCounts(env.db), before, `${c.id} wrote to the DB`);
        continue;
      }
      assert.equal(c.expect, 'carry', `${c.id} was accepted`);
      const full = (await loadClusterForRun(env, saved.id)).spec;
      assert.equal(get(full, c.field), c.value, `${c.id} changed`);
      if (!/password|passphrase/i.test(c.field)) assert.equal(get(getCluster(env, { clusterId: saved.id }).spec, c.field), c.value);
      removeCluster(env.db, saved.id, tester);
      carried++;
    }
    assert.ok(carried > 0);
  });

  it('hostile KubeKey files import without touching the DB', () => {
    const dir = new URL('../../spec/fixtures/hostile/', import.meta.url);
    const before = rowCounts(env.db);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const r = importKubeKey({ text: readFileSync(new URL(file, dir), 'utf8') });
      assert.equal(typeof r.ok, 'boolean', file);
    }
    assert.deepEqual(rowCounts(env.db), before);
  });
});
