'use client';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/providers/trpc';
import { GuardedButton } from '@/components/auth/guarded-button';

/** Downloads the admin kubeconfig (audited on the server); the API server is a control plane that answered, or the one typed here. */
export function KubeconfigButton({ clusterId, onError }: { clusterId: number; onError: (message: string) => void }) {
  const trpc = useTRPC();
  const [server, setServer] = useState('');
  const download = useMutation(
    trpc.clusters.kubeconfig.mutationOptions({
      onSuccess: (r) => {
        const url = URL.createObjectURL(new Blob([r.text], { type: 'application/yaml' }));
        const a = Object.assign(document.createElement('a'), { href: url, download: r.filename });
        a.click();
        URL.revokeObjectURL(url);
      },
      onError: (e) => onError(e.message),
    }),
  );
  return (
    <form className="flex flex-wrap items-center gap-2" onSubmit={(e) => { e.preventDefault(); download.mutate({ clusterId, ...(server.trim() ? { server: server.trim() } : {}) }); }}>
      <label className="flex items-center gap-2 text-sm">
        <span>API server</span>
        <input value={server} onChange={(e) => setServer(e.target.value)} placeholder="a control plane that answered" className="w-64 rounded-md border border-zinc-300 bg-transparent px-2 py-1 font-mono text-xs dark:border-zinc-700" />
      </label>
      <GuardedButton procedure="clusters.kubeconfig" type="submit" disabled={download.isPending}>{download.isPending ? 'Preparing…' : 'Download kubeconfig'}</GuardedButton>
    </form>
  );
}
