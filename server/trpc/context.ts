import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../app-services';
import { requestAuth } from '../auth/request-auth';
import type { AuthSession, AuthUser } from '../auth/sessions';

export type Context = AppServices & { req: IncomingMessage; res: ServerResponse; user: AuthUser | null; session: AuthSession | null };

export function contextFactory(services: AppServices) {
  return ({ req, res }: { req: IncomingMessage; res: ServerResponse }): Context => {
    const auth = requestAuth(services.db, req);
    return { ...services, req, res, user: auth?.user ?? null, session: auth?.session ?? null };
  };
}
