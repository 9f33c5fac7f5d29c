import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterSpec } from '../../contracts/cluster-spec';
import { openDb, type Db } from '../../db/client';
import { clusters } from '../../db/schema';
import { FakeConnector, type FakeHandler, type FakeStats } from '../../engine/testing/fake-connector';
import { validDraft } from '../../spec/fixtures/valid-spec';
import { PipelineRegistry } from '../registry';
import { Runner } from '../runner';

export type FakeRunner = { db: Db; runner: Runner; registry: PipelineRegistry; clusterId: number; spec: ClusterSpec; stats: FakeStats; close(): Promise<void> };

/** A runner over a real SQLite file whose hosts are scripted FakeConnectors (no network): for unit tests. */
export function fakeRunner(handler: FakeHandler): FakeRunner {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubexms-runner-'));
  const db = openDb(path.join(dir, 'kubexms.db'));
  const spec = ClusterSpec.parse(validDraft());
  const clusterId = db.insert(clusters).values({ name: spec.name, spec: {} }).returning({ id: clusters.id }).get().id;
  const stats: FakeStats = { inFlight: 0, maxInFlight: 0, calls: [], aborted: [], closed: [] };
  const registry = new PipelineRegistry();
  const runner = new Runner({
    db,
    registry,
    loadCluster: async () => ({ cluster: { id: clusterId, name: spec.name }, spec, hostKeys: Object.fromEntries(spec.hosts.map((h) => [h.name, 'SHA256:x'])) }),
    connect: (host) => new FakeConnector(host.name, handler, stats),
  });
  runner.recover();
  return {
    db,
    runner,
    registry,
    clusterId,
    spec,
    stats,
    close: async () => {
      await runner.stop(500);
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
