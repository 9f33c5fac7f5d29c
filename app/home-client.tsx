'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useSocket } from '@/components/providers/socket-provider';
import { useTRPC } from '@/components/providers/trpc';

export function HomeClient() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());
  const { socket, state, transport } = useSocket();
  const [clock, setClock] = useState<number | null>(null);

  useEffect(() => {
    if (!socket) return;
    const onTick = ({ serverTime }: { serverTime: number }) => setClock(serverTime);
    const watch = () => socket.emit('clock:watch', () => undefined);
    socket.on('server:clock', onTick);
    socket.on('connect', watch);
    if (socket.connected) watch();
    return () => {
      socket.off('server:clock', onTick);
      socket.off('connect', watch);
    };
  }, [socket]);

  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-2xl font-semibold text-brand">kubexms</h1>
      <dl className="mt-6 grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
        <dt className="text-zinc-500">Server version</dt>
        <dd data-testid="server-version">{info.data ? info.data.version : info.isError ? 'unavailable' : '…'}</dd>
        <dt className="text-zinc-500">Live connection</dt>
        <dd data-testid="socket-state" data-transport={transport ?? ''}>
          {state}
          {transport ? ` (${transport})` : ''}
        </dd>
        <dt className="text-zinc-500">Server clock</dt>
        <dd data-testid="server-clock">{clock ? new Date(clock).toLocaleTimeString() : '…'}</dd>
      </dl>
    </main>
  );
}
