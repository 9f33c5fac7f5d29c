import { remoteAddress } from '../auth/request-auth';
import type { Actor } from '../services/clusters/deps';

/** The audit actor of a request: the session's user and the client address. */
export function actorFrom(ctx: { user: { username: string } | null; req: Parameters<typeof remoteAddress>[0] }): Actor {
  return { actor: ctx.user?.username ?? 'anonymous', address: remoteAddress(ctx.req) };
}
