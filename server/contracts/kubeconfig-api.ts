import { z } from 'zod';
import { ClusterId } from './cluster-api';
import { LIMITS } from './spec-fields';

/** server: the API server URL written into the kubeconfig (default: a control plane that answered the last status read). */
export const KubeconfigInput = z.strictObject({
  clusterId: ClusterId,
  server: z.string().max(LIMITS.url).pipe(z.url({ protocol: /^https$/, error: 'must be an https:// URL such as https://10.0.0.5:6443' })).optional(),
});
export type KubeconfigInput = z.infer<typeof KubeconfigInput>;
export type KubeconfigResult = { filename: string; server: string; text: string };
