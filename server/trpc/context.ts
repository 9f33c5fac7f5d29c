import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../app-services';

export type Context = AppServices & { req: IncomingMessage; res: ServerResponse };

export function contextFactory(services: AppServices) {
  return ({ req, res }: { req: IncomingMessage; res: ServerResponse }): Context => ({ ...services, req, res });
}
