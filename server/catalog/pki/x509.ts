import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// ECDSA P-256: keys are generated in milliseconds (RSA 2048 takes ~100 ms each), and etcd, Go TLS and kubeadm all accept it.
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const subtle = webcrypto.subtle;
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export type KeyPairPem = { cert: string; key: string };
export type CertUsage = 'server' | 'client' | 'peer';
export type CertRequest = { commonName: string; organization?: string; dnsNames?: readonly string[]; ips?: readonly string[]; usage: CertUsage };

const DAY = 86_400_000;
export const CA_DAYS = 3650;
export const LEAF_DAYS = 3650;

const dn = (cn: string, o?: string) => `CN=${cn.replaceAll(',', '\\,')}${o ? `, O=${o.replaceAll(',', '\\,')}` : ''}`;

async function exportKey(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), ALG, true, ['sign']);
}

export async function createCa(commonName: string, now = new Date()): Promise<KeyPairPem> {
  const keys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: dn(commonName),
    keys,
    signingAlgorithm: ALG,
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter: new Date(now.getTime() + CA_DAYS * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

const EKU = { server: [x509.ExtendedKeyUsage.serverAuth], client: [x509.ExtendedKeyUsage.clientAuth], peer: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] };

export async function issueCert(ca: KeyPairPem, req: CertRequest, now = new Date()): Promise<KeyPairPem> {
  const caCert = new x509.X509Certificate(ca.cert);
  const keys = (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const names = [...(req.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })), ...(req.ips ?? []).map((value) => ({ type: 'ip' as const, value }))];
  const cert = await x509.X509CertificateGenerator.create({
    subject: dn(req.commonName, req.organization),
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: await importKey(ca.key),
    signingAlgorithm: ALG,
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter: new Date(Math.min(now.getTime() + LEAF_DAYS * DAY, caCert.notAfter.getTime())),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension(EKU[req.usage]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
    ],
  });
  return { cert: cert.toString('pem'), key: await exportKey(keys.privateKey) };
}

export type CertInfo = { subject: string; issuer: string; dnsNames: string[]; ips: string[]; notAfter: Date; serial: string };

export function certInfo(pem: string): CertInfo {
  const cert = new x509.X509Certificate(pem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const items = san?.names.items ?? [];
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    dnsNames: items.filter((n) => n.type === 'dns').map((n) => n.value),
    ips: items.filter((n) => n.type === 'ip').map((n) => n.value),
    notAfter: cert.notAfter,
    serial: cert.serialNumber,
  };
}

/** true when the certificate's signature verifies with the CA's public key */
export async function signedBy(certPem: string, caPem: string): Promise<boolean> {
  const cert = new x509.X509Certificate(certPem);
  return cert.verify({ publicKey: new x509.X509Certificate(caPem).publicKey, signatureOnly: true });
}
