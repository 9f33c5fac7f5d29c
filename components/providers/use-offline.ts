'use client';
import { useEffect, useState } from 'react';
import { useSocket } from './socket-provider';

export const OFFLINE_AFTER_MS = 2000;
export const OFFLINE_REASON = 'The kubexms server cannot be reached: this needs it. It comes back by itself when the connection does.';

/** True once the socket has not been live for OFFLINE_AFTER_MS (a blip while reconnecting does not count). */
export function useOffline(): boolean {
  const { state } = useSocket();
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    if (state === 'live') {
      setOffline(false);
      return;
    }
    const t = setTimeout(() => setOffline(true), OFFLINE_AFTER_MS);
    return () => clearTimeout(t);
  }, [state]);
  return offline;
}
