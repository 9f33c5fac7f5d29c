import type { ClusterSpec } from '../../contracts/cluster-spec';
import type { ClusterRuntime } from '../../engine';
import { catalogContext } from '../common/catalog-context';
import { ETCD_ADMIN_CLIENT, etcdCertRequests } from '../pki/etcd-pki';
import { ETCD_PKI_KEY, etcdPkiFor } from '../pki/runtime-pki';
import { filePkiStore, pkiDir, type PkiStore } from '../pki/store';
import { certInfo, issueCert } from '../pki/x509';

export type Renewed = { name: string; notAfter: Date };

/** Member certificates (server-*, peer-*) and the admin client certificate; the CA and the API server's client certificate stay. */
export const renewedNames = (spec: Pick<ClusterSpec, 'hosts'>) => [...etcdCertRequests(spec).keys()].filter((n) => n.startsWith('server-') || n.startsWith('peer-') || n === ETCD_ADMIN_CLIENT);

export async function renewInStore(spec: Pick<ClusterSpec, 'hosts'>, store: PkiStore, now = new Date()): Promise<Renewed[]> {
  const cert = await store.read('ca.crt', false);
  const key = await store.read('ca.key', true);
  if (!cert || !key) throw new Error(`the etcd CA is missing from ${store.dir}: nothing to renew from (install the cluster first)`);
  const requests = etcdCertRequests(spec);
  const out: Renewed[] = [];
  for (const name of renewedNames(spec)) {
    const pair = await issueCert({ cert, key }, requests.get(name)!, now);
    await store.write(`${name}.key`, pair.key, true);
    await store.write(`${name}.crt`, pair.cert, false);
    out.push({ name, notAfter: certInfo(pair.cert).notAfter });
  }
  return out;
}

/** Renews in the cluster's PKI store, then makes this run's steps see the new certificates. */
export async function renewEtcdCerts(runtime: ClusterRuntime<ClusterSpec, unknown>): Promise<Renewed[]> {
  const context = catalogContext(runtime);
  const store = filePkiStore(pkiDir(context, runtime.spec.name, 'etcd'), context.secretBox);
  const renewed = await renewInStore(runtime.spec, store);
  runtime.cache.delete(ETCD_PKI_KEY);
  await etcdPkiFor(runtime);
  return renewed;
}
