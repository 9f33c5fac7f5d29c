'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '@/components/providers/trpc';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';

/** Delete with the name typed; optionally reset the hosts first (the server deletes once that run succeeded). */
export function DeleteClusterDialog({ open, clusterId, name, draft, onClose }: { open: boolean; clusterId: number; name: string; draft: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [resetFirst, setResetFirst] = useState(false);
  const remove = useMutation(trpc.clusters.delete.mutationOptions({
    onSuccess: (r) => {
      void qc.invalidateQueries();
      router.push(r.deleted ? '/' : `/runs/${r.runId}`);
    },
  }));
  const close = () => { remove.reset(); setResetFirst(false); onClose(); };
  return (
    <ConfirmDialog open={open} title={`Delete cluster ${name}?`} confirmLabel={resetFirst ? 'Reset the hosts, then delete' : 'Delete cluster'}
      typeToConfirm={name} busy={remove.isPending} error={remove.error?.message ?? null} testId="delete-cluster-dialog"
      onConfirm={(typed) => remove.mutate({ clusterId, confirmName: typed, resetFirst })} onClose={close}>
      <p>Its run history is kept under its name. Without a reset, whatever kubexms installed stays on the hosts.</p>
      {draft ? null : (
        <label className="flex items-start gap-2">
          <input type="checkbox" checked={resetFirst} onChange={(e) => setResetFirst(e.target.checked)} className="mt-1" />
          <span>Reset the hosts first: run <b>Reset cluster</b> (stops and removes what kubexms installed on every host) and delete the cluster only when it succeeded. If the reset fails, the cluster is kept.</span>
        </label>
      )}
    </ConfirmDialog>
  );
}
