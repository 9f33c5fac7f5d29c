import type { ClusterSpec } from '../../contracts/cluster-spec';
import type { ClusterRuntime } from '../../engine';
import { catalogContext, runOnce } from './catalog-context';
import { ensureEtcdPki } from './etcd-pki';
import type { EtcdPki } from './etcd-pki';
import { filePkiStore, pkiDir } from './store';

/** The cluster's etcd PKI for this run: loaded (or first created) once on the control node, shared by every host's steps. */
export function etcdPkiFor(runtime: ClusterRuntime<ClusterSpec, unknown>): Promise<EtcdPki> {
  return runOnce(runtime, 'kubexms:etcd-pki', async () => {
    const context = catalogContext(runtime);
    const dir = pkiDir(context, runtime.spec.name, 'etcd');
    const pki = await ensureEtcdPki(runtime.spec, filePkiStore(dir, context.secretBox));
    if (pki.generated.length > 0) runtime.logger.info('etcd PKI issued', { dir, generated: pki.generated });
    return pki;
  });
}
