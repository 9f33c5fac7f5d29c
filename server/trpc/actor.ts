import { remoteAddress } from '../auth/request-auth';
import type { Actor } from '../services/clusters/deps';

type ActorCtx = { user: { username: string } | null; session?: { token?: { id: number; name: string } | undefined } | null; req: Parameters<typeof remoteAddress>[0] };

/** The audit name of who acts: the user, and the CLI token when the request came with one. */
export function actorName(ctx: Omit<ActorCtx, 'req'>): string {
  if (!ctx.user) return 'anonymous';
  const token = ctx.session?.token;
  return token ? `${ctx.user.username} (token #${token.id} "${token.name}")` : ctx.user.username;
}

/** The audit actor of a request: the session's user (and CLI token) and the client address. */
export function actorFrom(ctx: ActorCtx): Actor {
  return { actor: actorName(ctx), address: remoteAddress(ctx.req) };
}
