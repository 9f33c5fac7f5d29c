import { z } from 'zod';
import { describeVersions, normalizeVersion } from './versions';

export const LIMITS = {
  // the runner is measured at 2,000 hosts from one process (bench/scale.ts)
  hosts: 2000,
  line: 253,
  url: 2048,
  privateKey: 16 * 1024,
  password: 1024,
  labels: 64,
  list: 100,
} as const;

const CONTROL = /[\u0000-\u001f\u007f]/;
const noControl = (v: string) => !CONTROL.test(v);

export function line(max: number = LIMITS.line) {
  return z
    .string({ error: 'must be text' })
    .max(max, { error: `at most ${max} characters`, abort: true })
    .refine(noControl, { error: 'must be a single line without control characters', abort: true });
}

export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
export const POSIX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([-A-Za-z0-9.]{0,251}[A-Za-z0-9])?)(:\d{1,5})?$/;

export const label = line(63).regex(RFC1123_LABEL, {
  error: 'must be a lowercase RFC 1123 label: a-z, 0-9 and "-", starting and ending with a letter or digit, at most 63 characters',
});
export const domain = line(253).regex(DNS_SUBDOMAIN, { error: 'must be a lowercase DNS name such as cluster.local' });
export const posixUser = line(32).regex(POSIX_USER, { error: 'must be a POSIX user name: a-z, 0-9, "_" and "-", starting with a letter or "_"' });
export const port = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be between 1 and 65535' })
  .max(65535, { error: 'must be between 1 and 65535' });

export const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });
export const address = line(253).refine(
  (v) => z.ipv4().safeParse(v).success || z.ipv6().safeParse(v).success || (v.length <= 253 && z.hostname().safeParse(v).success),
  { error: 'must be an IPv4 address, an IPv6 address or a host name' },
);
export const httpUrl = line(LIMITS.url).pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }));
export const registryHost = line(253 + 6).regex(HOST_PORT, { error: 'must be host or host:port' });
export const cidrv4 = line(18).pipe(z.cidrv4({ error: 'must be an IPv4 CIDR such as 10.233.0.0/18' }));

export const labelKey = line(253 + 1 + 63).refine(
  (k) => {
    const slash = k.lastIndexOf('/');
    const prefix = slash === -1 ? undefined : k.slice(0, slash);
    const name = slash === -1 ? k : k.slice(slash + 1);
    return LABEL_NAME.test(name) && (prefix === undefined || DNS_SUBDOMAIN.test(prefix));
  },
  { error: 'must be a Kubernetes label key: [prefix/]name, name at most 63 of A-Z a-z 0-9 - _ .' },
);
export const labelValue = line(63).regex(LABEL_VALUE, { error: 'must be a Kubernetes label value: at most 63 of A-Z a-z 0-9 - _ .' });

export const fingerprint = line(60).regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, { error: 'must be an SSH SHA256 fingerprint such as SHA256:abc…' });

export function version(list: readonly string[], what: string) {
  return line(32)
    .transform(normalizeVersion)
    .refine((v) => list.includes(v), { error: `unsupported ${what} version; supported: ${describeVersions(list)}` });
}

export const passwordSecret = z
  .string({ error: 'must be text' })
  .min(1, { error: 'must not be empty' })
  .max(LIMITS.password, { error: `at most ${LIMITS.password} characters`, abort: true })
  .refine((v) => !/[\u0000\r\n]/.test(v), { error: 'must not contain NUL or line breaks' });

export const privateKeySecret = z
  .string({ error: 'must be text' })
  .max(LIMITS.privateKey, { error: `at most ${LIMITS.privateKey} bytes`, abort: true })
  .refine((v) => !v.includes('\u0000'), { error: 'must not contain NUL' })
  .refine((v) => /^-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----\r?\n[\s\S]+\n-----END ([A-Z0-9]+ )?PRIVATE KEY-----$/.test(v.trim()), {
    error: 'must be a PEM or OpenSSH private key (-----BEGIN … PRIVATE KEY-----)',
  });

export const SecretState = z.strictObject({ set: z.boolean() });
export type SecretState = z.infer<typeof SecretState>;
