import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { raw, sh } from '../../connectors/shell-quote';
import type { HostContext } from '../../engine';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type CertExpiry = { path: string; subject: string; notBefore: string; notAfter: string; daysLeft: number };

const DAY = 86_400_000;
export const CERT_MARK = '@@kx-cert ';

/** Where kubeadm keeps its certificates (read when present: `kubeadm certs check-expiration` lists the same files). */
export const KUBEADM_PKI_DIR = '/etc/kubernetes/pki';

/**
 * Shell fragment printing each readable certificate file after a marker line, plus every *.crt in `globDirs`
 * (kubeadm's PKI). Missing files print nothing. Used inside a larger one-round-trip script, or alone by readCertExpiry.
 */
export function certDumpScript(paths: readonly string[], globDirs: readonly string[] = []): string {
  const files = paths.length > 0 ? sh`for f in ${[...paths]}; do [ -r "$f" ] && { printf '%s%s\n' ${CERT_MARK} "$f"; cat -- "$f"; }; done; ` : '';
  const globs = globDirs.map((d) => sh`for f in ${raw(`${shellDir(d)}/*.crt ${shellDir(d)}/*/*.crt`)}; do [ -r "$f" ] && { printf '%s%s\n' ${CERT_MARK} "$f"; cat -- "$f"; }; done; `);
  return `${files}${globs.join('')}true`;
}

// a glob needs the directory unquoted: accept only plain absolute paths
function shellDir(dir: string): string {
  if (!/^\/[A-Za-z0-9._/-]*$/.test(dir)) throw new Error(`unsafe certificate directory: ${dir}`);
  return dir.replace(/\/+$/, '');
}

/** Parses certDumpScript's output: the first certificate of each file; files that do not parse are left out. */
export function parseCertDump(text: string, now = new Date()): CertExpiry[] {
  const out: CertExpiry[] = [];
  const parts = text.split(CERT_MARK).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const path = part.slice(0, nl).trim();
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(part.slice(nl + 1))?.[0];
    if (!path || !pem) continue;
    try {
      const cert = new x509.X509Certificate(pem);
      out.push({
        path,
        subject: cert.subject,
        notBefore: cert.notBefore.toISOString(),
        notAfter: cert.notAfter.toISOString(),
        daysLeft: Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY),
      });
    } catch {
      continue;
    }
  }
  return out;
}

/** Expiry of the certificates at `paths` (and every *.crt under `globDirs`) on the host, in one round trip. */
export async function readCertExpiry(ctx: HostContext, paths: readonly string[], globDirs: readonly string[] = []): Promise<CertExpiry[]> {
  const res = await ctx.exec(certDumpScript(paths, globDirs), { sudo: true, quiet: true, label: 'read certificates' });
  return parseCertDump(res.stdout);
}
