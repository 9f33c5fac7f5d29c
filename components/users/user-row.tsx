'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ROLES, type Role } from '@/server/contracts/access';
import type { UserInfo } from '@/server/contracts/users-api';
import { GuardedButton } from '@/components/auth/guarded-button';
import { useAccess } from '@/components/auth/use-access';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { formatTime } from '@/components/ui/format';
import { UserAccessPanel } from './user-access-panel';

const field = 'rounded border border-zinc-300 bg-transparent px-2 py-1 disabled:opacity-60 dark:border-zinc-700';
type Notify = { shown: (text: string) => void; failed: (e: { message: string }) => void; done: () => void };

const status = (u: UserInfo) => (u.disabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active');

export function UserRow({ user, self, notify }: { user: UserInfo; self: boolean; notify: Notify }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useAccess();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const roleNote = useId();
  const ok = () => { notify.done(); void queryClient.invalidateQueries(); };
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: ok, onError: notify.failed }));
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: (r) => { ok(); notify.shown(`New one-time password for ${user.username} (shown once): ${r.password}`); }, onError: notify.failed }));
  const remove = useMutation(trpc.users.delete.mutationOptions({ onSuccess: ok, onError: notify.failed }));
  const roleAccess = can('users.update');
  const roleBlocked = !roleAccess.allowed ? roleAccess.reason : self ? 'you cannot change your own role' : null;
  const selfNote = useId();
  const panel = `access-panel-${user.id}`;

  return (
    <>
      <tr data-testid={`user-${user.username}`} className="border-t border-zinc-200 align-top dark:border-zinc-800">
        <td className="py-2 pr-3 font-medium">{user.username}{self ? <span className="ml-1 text-xs font-normal">(you)</span> : null}</td>
        <td className="py-2 pr-3" data-testid="user-source">{user.sso ? 'OIDC' : 'local'}</td>
        <td className="py-2 pr-3">
          <select aria-label={`Role of ${user.username}`} aria-describedby={roleBlocked ? roleNote : undefined} disabled={Boolean(roleBlocked) || update.isPending} className={field} value={user.role} onChange={(e) => update.mutate({ userId: user.id, role: e.target.value as Role })}>
            {ROLES.map((r) => <option key={r}>{r}</option>)}
          </select>
          {roleBlocked ? <span id={roleNote} className="ml-2 text-xs text-zinc-600 dark:text-zinc-400">{roleBlocked}</span> : null}
        </td>
        <td className="py-2 pr-3" data-testid="user-status">{status(user)}</td>
        <td className="py-2 pr-3" data-testid="user-last-seen">{user.lastSeenAt ? formatTime(user.lastSeenAt) : 'never'}</td>
        <td className="py-2 pr-3">
          <Button aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
            {`Sessions (${user.sessions}) and tokens`}
          </Button>
        </td>
        <td className="flex flex-wrap gap-2 py-2">
          {self ? (
            <>
              <Button disabled aria-describedby={selfNote}>Disable</Button>
              <Button variant="danger" disabled aria-describedby={selfNote}>Delete</Button>
              <span id={selfNote} data-testid="denied-reason" className="self-center text-xs text-zinc-600 dark:text-zinc-400">you cannot disable or delete yourself</span>
            </>
          ) : (
            <>
              <GuardedButton procedure="users.update" disabled={update.isPending} onClick={() => update.mutate({ userId: user.id, disabled: !user.disabled })}>
                {user.disabled ? 'Enable' : 'Disable'}
              </GuardedButton>
              <GuardedButton procedure="users.delete" variant="danger" disabled={remove.isPending} onClick={() => setDeleting(true)}>
                Delete…
              </GuardedButton>
              <ConfirmDialog open={deleting} title={`Delete user ${user.username}?`} confirmLabel="Delete user" busy={remove.isPending}
                onConfirm={() => { setDeleting(false); remove.mutate({ userId: user.id }); }} onClose={() => setDeleting(false)}>
                <p>Their sessions and tokens end.</p>
              </ConfirmDialog>
            </>
          )}
          {user.sso ? null : (
            <GuardedButton procedure="users.resetPassword" disabled={reset.isPending} onClick={() => reset.mutate({ userId: user.id })}>Reset password</GuardedButton>
          )}
        </td>
      </tr>
      {open ? (
        <tr id={panel} className="border-t border-dashed border-zinc-200 dark:border-zinc-800">
          <td colSpan={7}><UserAccessPanel user={user} notify={notify} /></td>
        </tr>
      ) : null}
    </>
  );
}
