import { readFile } from 'node:fs/promises';
import { ensureArtifact } from '../../artifacts';
import { selectHosts } from '../../engine/plan';
import type { ArtifactNeed } from '../common/host-artifacts';
import { runtimeHostsFromSpec } from '../common/hosts';
import type { ClusterSpec, HostFacts, KxHost, PlannedFile, RenderInput } from '../common/types';
import { createCluster } from '../pipelines';
import { secretRedactor } from './redact';

export type RenderedFile = Omit<PlannedFile, 'merge'> & { module: string; step: string; merge?: PlannedFile['merge'] };
export type HostFiles = { host: string; roles: string[]; facts: HostFacts; factsRead: boolean; files: RenderedFile[] };
export type ArtifactText = RenderInput['artifactText'];

/** The spec cannot be rendered as a run would refuse it (an unknown version without a mirror, a missing role). */
export class RenderError extends Error {
  override name = 'RenderError';
}

export const ASSUMED_FACTS: HostFacts = { arch: 'amd64', osFamily: 'debian' };

/** Artifact files read from the control node's download cache (fetched once from the mirror or release URL, verified). */
export function artifactTextFrom(dataDir: string, spec: Pick<ClusterSpec, 'artifacts'>, arch = 'amd64'): ArtifactText {
  return async (need: ArtifactNeed, file: string) => {
    const art = await ensureArtifact({ dataDir, component: need.component, version: need.version, arch, mirror: spec.artifacts.mirror });
    const local = art.files[file];
    if (!local) throw new Error(`${need.component} ${need.version} has no ${file}`);
    return readFile(local, 'utf8');
  };
}

export type RenderOptions = {
  artifactText: ArtifactText;
  /** facts read from the hosts (--diff); the others are assumed (amd64, Debian family) */
  facts?: ReadonlyMap<string, HostFacts>;
  hosts?: readonly string[];
};

async function plannedFor(input: RenderInput, pipeline: ReturnType<typeof createCluster>, host: KxHost): Promise<RenderedFile[]> {
  const byPath = new Map<string, RenderedFile>();
  for (const mod of pipeline.modules) {
    for (const task of mod.tasks) {
      if (selectHosts(task, [host]).length === 0) continue;
      for (const step of task.steps) {
        if (!step.writes) continue;
        // a later step writing the same path wins (the file as it is after the run), in the first one's place
        for (const f of await step.writes(input)) byPath.set(`${f.kind ?? 'file'}:${f.path}`, { ...f, module: mod.name, step: step.name });
      }
    }
  }
  return [...byPath.values()];
}

/**
 * Every file createCluster leaves on each host, rendered by the steps' own `writes` (the functions they write with)
 * for the hosts each task runs on. No host is touched; secrets of the spec never appear in the output.
 */
export async function renderHostFiles(spec: ClusterSpec, options: RenderOptions): Promise<HostFiles[]> {
  let pipeline: ReturnType<typeof createCluster>;
  try {
    pipeline = createCluster(spec);
  } catch (err) {
    throw new RenderError(`a create run would be refused before touching a host: ${err instanceof Error ? err.message : String(err)}`);
  }
  const redact = secretRedactor(spec);
  const wanted = options.hosts ? new Set(options.hosts) : null;
  const out: HostFiles[] = [];
  for (const host of runtimeHostsFromSpec(spec)) {
    if (wanted && !wanted.has(host.name)) continue;
    const read = options.facts?.get(host.name);
    const facts = read ?? ASSUMED_FACTS;
    const files = await plannedFor({ spec, host, facts, artifactText: options.artifactText }, pipeline, host);
    out.push({
      host: host.name,
      roles: [...host.roles],
      facts,
      factsRead: read !== undefined,
      files: files.map((f) => ({ ...f, content: f.content === null ? null : redact(f.content), ...(f.merge ? { merge: (cur: string) => redact(f.merge!(cur)) } : {}) })),
    });
  }
  return out;
}
