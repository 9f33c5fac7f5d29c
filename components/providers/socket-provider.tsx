'use client';
import { usePathname } from 'next/navigation';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/server/contracts/socket';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';
type SocketState = { socket: AppSocket | null; state: ConnectionState; transport: string | null };

const SocketContext = createContext<SocketState>({ socket: null, state: 'connecting', transport: null });

export function SocketProvider({ children }: { children: ReactNode }) {
  const [value, setValue] = useState<SocketState>({ socket: null, state: 'connecting', transport: null });
  const onLoginPage = usePathname().startsWith('/login');

  useEffect(() => {
    if (onLoginPage) return;
    const socket: AppSocket = io({ path: '/socket.io/', withCredentials: true });
    const update = (state: ConnectionState) => setValue({ socket, state, transport: socket.io.engine?.transport.name ?? null });
    socket.on('connect', () => {
      update('live');
      socket.io.engine.once('upgrade', () => update('live'));
    });
    socket.on('disconnect', () => update(socket.active ? 'reconnecting' : 'offline'));
    socket.on('connect_error', () => update(socket.active ? 'reconnecting' : 'offline'));
    const onOffline = () => update('offline');
    // back online: connect now rather than after the remaining reconnection backoff (up to 5 s)
    const onOnline = () => { if (!socket.connected) socket.disconnect().connect(); };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    setValue({ socket, state: 'connecting', transport: null });
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      socket.disconnect();
    };
  }, [onLoginPage]);

  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}

export function useSocket(): SocketState {
  return useContext(SocketContext);
}
