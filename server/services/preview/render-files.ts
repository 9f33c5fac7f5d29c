import { artifactTextFrom, RenderError, renderHostFiles } from '../../catalog/render/host-files';
import { specForRender } from '../../catalog/render/spec-for-render';
import { validateSpec } from '../../contracts/spec-validate';
import { ServiceError } from '../../errors';

export type PreviewFile = { path: string; mode: string; kind: 'file' | 'block' | 'command'; content: string | null; note: string | null; step: string; transient: boolean };
export type PreviewHostFiles = { host: string; roles: string[]; files: PreviewFile[] };

/** The wizard's Files tab: what `spec render` prints, per host, for a draft spec. No host is touched; secrets never included. */
export async function renderSpecFiles(input: { spec: unknown }, deps: { dataDir: string }): Promise<PreviewHostFiles[]> {
  const result = validateSpec(input.spec, { secrets: 'ignore' });
  if (!result.ok) throw new ServiceError('BAD_REQUEST', 'the spec has errors', result.errors);
  const checked = specForRender(result.spec);
  if (!checked.ok) throw new ServiceError('BAD_REQUEST', 'the spec has errors', checked.errors);
  try {
    const hosts = await renderHostFiles(checked.spec, { artifactText: artifactTextFrom(deps.dataDir, checked.spec) });
    return hosts.map((h) => ({
      host: h.host,
      roles: h.roles,
      files: h.files.map((f) => ({
        path: f.path, mode: f.mode.toString(8).padStart(4, '0'), kind: f.kind ?? 'file', content: f.content, note: f.note ?? null, step: `${f.module} › ${f.step}`, transient: f.transient ?? false,
      })),
    }));
  } catch (err) {
    if (err instanceof RenderError) throw new ServiceError('BAD_REQUEST', err.message);
    throw err;
  }
}
