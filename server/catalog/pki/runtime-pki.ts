import type { ClusterSpec } from '../../contracts/cluster-spec';
import { cacheKey, type ClusterRuntime } from '../../engine';
import { catalogContext, runOnce } from '../common/catalog-context';
import { ensureEtcdPki } from './etcd-pki';
import type { EtcdPki } from './etcd-pki';
import { filePkiStore, pkiDir } from './store';

/** Deleted by a renewal so the run's later steps load the new certificates. */
export const ETCD_PKI_KEY = cacheKey<Promise<EtcdPki>>('kubexms:etcd-pki');

/** The cluster's etcd PKI for this run: loaded (or first created) once on the control node, shared by every host's steps. */
export function etcdPkiFor(runtime: ClusterRuntime<ClusterSpec, unknown>): Promise<EtcdPki> {
  return runOnce(runtime, ETCD_PKI_KEY, async () => {
    const context = catalogContext(runtime);
    const dir = pkiDir(context, runtime.spec.name, 'etcd');
    const pki = await ensureEtcdPki(runtime.spec, filePkiStore(dir, context.secretBox));
    if (pki.generated.length > 0) runtime.logger.info('etcd PKI issued', { dir, generated: pki.generated });
    return pki;
  });
}
