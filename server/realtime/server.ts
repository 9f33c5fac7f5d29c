import type http from 'node:http';
import { Server } from 'socket.io';
import type { AppServices } from '../app-services';
import { attachSocketAuth, socketAllowRequest } from '../auth/socket-auth';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/socket';
import { attachRunRooms, type RunRoomsOptions } from './run-rooms';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export const SOCKET_PATH = '/socket.io/';

export function createRealtime(httpServer: http.Server, services: AppServices, options: RunRoomsOptions = {}): RealtimeServer {
  const io: RealtimeServer = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    destroyUpgrade: false,
    maxHttpBufferSize: 1e6,
    allowRequest: socketAllowRequest(services),
  });
  attachSocketAuth(io, services);
  const stopRooms = attachRunRooms(io, { db: services.db, bus: services.runner.bus }, options);

  io.on('connection', (socket) => {
    socket.emit('server:hello', { version: services.version, serverTime: Date.now() });
    socket.on('clock:watch', (ack) => {
      void socket.join('clock');
      if (typeof ack === 'function') ack(true);
    });
  });

  const clock = setInterval(() => {
    if ((io.sockets.adapter.rooms.get('clock')?.size ?? 0) > 0) io.to('clock').emit('server:clock', { serverTime: Date.now() });
  }, 1000);
  clock.unref();
  const stop = () => {
    clearInterval(clock);
    stopRooms();
  };
  io.engine.on('close', stop);
  httpServer.on('close', stop);
  return io;
}
