'use client';
import { useEffect, useMemo, useState } from 'react';
import { RunSeqCursor } from '@/server/contracts/run-socket';
import type { RunEventBatch, RunWatchResult } from '@/server/contracts/run-socket';
import { useSocket } from '@/components/providers/socket-provider';
import { LiveRunState } from './live-run-state';

export type LiveRun = { state: LiveRunState; version: number; error: string | null; synced: boolean };

/** Watches a run over socket.io: snapshot first, replay of missed events after a reconnect, each seq applied once. */
export function useLiveRun(runId: number): LiveRun {
  const { socket } = useSocket();
  const state = useMemo(() => new LiveRunState(), []);
  const cursor = useMemo(() => new RunSeqCursor(), []);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [synced, setSynced] = useState(false);

  useEffect(() => {
    if (!socket) return;
    let frame = 0;
    const render = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => { frame = 0; setVersion(state.version); });
    };
    const watch = () => {
      cursor.unsync();
      setSynced(false);
      socket.emit('run:watch', { runId, afterSeq: cursor.afterSeq }, (res: RunWatchResult) => {
        if (!res.ok) return setError(res.error);
        setError(null);
        if (res.mode === 'snapshot') {
          state.loadSnapshot(res.snapshot);
          state.apply(cursor.fromSnapshot(res.snapshot.seq));
        } else {
          state.setRun(res.run);
          state.apply(cursor.fromReplay(res.events));
        }
        setSynced(true);
        render();
      });
    };
    const onEvents = (batch: RunEventBatch) => {
      if (batch.runId !== runId) return;
      const fresh = cursor.accept(batch.events);
      if (fresh.length === 0) return;
      state.apply(fresh);
      render();
    };
    socket.on('run:events', onEvents);
    socket.on('connect', watch);
    if (socket.connected) watch();
    return () => {
      socket.off('run:events', onEvents);
      socket.off('connect', watch);
      if (socket.connected) socket.emit('run:unwatch', { runId });
      if (frame) cancelAnimationFrame(frame);
    };
  }, [socket, runId, state, cursor]);

  return { state, version, error, synced };
}
