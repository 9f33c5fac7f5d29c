import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretBox } from '../../secrets/box';
import type { CatalogContext } from '../common/catalog-context';

/** Certificates in clear (they are public); private keys sealed with the secret box when there is one, else 0600 files in a 0700 dir. */
export type PkiStore = {
  readonly dir: string;
  read(name: string, secret: boolean): Promise<string | undefined>;
  write(name: string, data: string, secret: boolean): Promise<void>;
};

const SAFE = /^[A-Za-z0-9._-]+$/;

export function pkiDir(context: CatalogContext, clusterName: string, component: string): string {
  const id = String(context.clusterId ?? `name-${clusterName}`);
  if (!SAFE.test(id) || !SAFE.test(component)) throw new Error(`unsafe PKI path component: ${id}/${component}`);
  return path.join(context.dataDir, 'pki', id, component);
}

export function filePkiStore(dir: string, box?: SecretBox): PkiStore {
  const file = (name: string, secret: boolean) => {
    if (!SAFE.test(name)) throw new Error(`unsafe PKI file name: ${name}`);
    return path.join(dir, secret && box ? `${name}.sealed` : name);
  };
  const aad = (name: string) => `pki:${dir}:${name}`;
  return {
    dir,
    async read(name, secret) {
      let data: Buffer;
      try {
        data = await readFile(file(name, secret));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      return secret && box ? box.open(data, aad(name)).toString('utf8') : data.toString('utf8');
    },
    async write(name, data, secret) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      const target = file(name, secret);
      const tmp = `${target}.tmp-${process.pid}`;
      await writeFile(tmp, secret && box ? box.seal(data, aad(name)) : data, { mode: 0o600 });
      await rename(tmp, target);
    },
  };
}
