'use client';
import { useOffline } from '@/components/providers/use-offline';

export function OfflineBanner() {
  const offline = useOffline();
  if (!offline) return null;
  return (
    <div role="alert" data-testid="offline-banner" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      Lost the connection to the kubexms server. Live updates are paused and actions that need the server are disabled;
      this page reconnects by itself and shows what it missed.
    </div>
  );
}
