import type { Connector } from '../../connectors/connector';
import type { ClusterSpec, HostFacts, SpecHost } from '../common/types';
import { compareFile, pathsToRead, type ComparedFile } from './compare';
import { renderHostFiles, type HostFiles, type RenderOptions } from './host-files';
import { readHost } from './read-host';
import { secretRedactor } from './redact';

export type HostDiff = { host: string; error: string | null; files: ComparedFile[] };
export type DiffResult = { rendered: HostFiles[]; diffs: HostDiff[] };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Reads each host (read-only, through sudo): its machine and OS family first, so the render uses them, then every
 * rendered path, compared with the render. A host that cannot be reached is reported, the others still compared.
 */
export async function diffHosts(spec: ClusterSpec, options: Omit<RenderOptions, 'facts'> & { connect: (host: SpecHost) => Connector | Promise<Connector>; signal?: AbortSignal }): Promise<DiffResult> {
  const hosts = spec.hosts.filter((h) => !options.hosts || options.hosts.includes(h.name));
  const connectors = new Map<string, Connector>();
  const errors = new Map<string, string>();
  const facts = new Map<string, HostFacts>();
  try {
    await Promise.all(hosts.map(async (h) => {
      try {
        const c = await options.connect(h);
        connectors.set(h.name, c);
        facts.set(h.name, (await readHost(c, [], options.signal)).facts);
      } catch (err) {
        errors.set(h.name, message(err));
      }
    }));
    const rendered = await renderHostFiles(spec, { ...options, facts });
    const redact = secretRedactor(spec);
    const diffs = await Promise.all(rendered.map(async (hf): Promise<HostDiff> => {
      const c = connectors.get(hf.host);
      const failed = errors.get(hf.host);
      if (!c || failed) return { host: hf.host, error: failed ?? 'not connected', files: [] };
      try {
        const read = await readHost(c, pathsToRead(hf), options.signal);
        return { host: hf.host, error: null, files: hf.files.map((f) => compareFile(f, f.kind === 'command' ? undefined : read.files.get(f.path), redact)) };
      } catch (err) {
        return { host: hf.host, error: message(err), files: [] };
      }
    }));
    return { rendered, diffs };
  } finally {
    await Promise.all([...connectors.values()].map((c) => c.close().catch(() => undefined)));
  }
}
