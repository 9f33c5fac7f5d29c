'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@/server/contracts/access';
import { useAccess } from '@/components/auth/use-access';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';

const field = 'rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700';

export function UsersClient() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useAccess();
  const allowed = can('users.list');
  const list = useQuery({ ...trpc.users.list.queryOptions(), enabled: allowed.allowed });
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const done = () => { setError(null); void queryClient.invalidateQueries(); };
  const onError = (e: { message: string }) => setError(e.message);
  const create = useMutation(trpc.users.create.mutationOptions({ onSuccess: (r) => { done(); setNotice(`Created ${r.user.username}. One-time password (shown once): ${r.password}`); }, onError }));
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: done, onError }));
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ onSuccess: (r) => { done(); setNotice(`New one-time password (shown once): ${r.password}`); }, onError }));
  const remove = useMutation(trpc.users.delete.mutationOptions({ onSuccess: done, onError }));
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ username, role });
    setUsername('');
  };
  if (!allowed.allowed) return <p role="alert">{allowed.reason}</p>;

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      <form className="flex flex-wrap items-end gap-2" onSubmit={submit} aria-label="Create user">
        <label className="grid gap-1 text-sm">Username<input className={field} required value={username} onChange={(e) => setUsername(e.target.value)} /></label>
        <label className="grid gap-1 text-sm">Role
          <select className={field} value={role} onChange={(e) => setRole(e.target.value as Role)}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>
        </label>
        <Button type="submit" variant="primary" disabled={create.isPending}>Create user</Button>
      </form>
      {notice ? <p role="status" data-testid="users-notice" className="break-all rounded bg-zinc-100 p-2 font-mono text-sm dark:bg-zinc-900">{notice}</p> : null}
      {error ? <p role="alert" className="text-sm text-status-failed">{error}</p> : null}
      <table className="text-left text-sm">
        <thead><tr><th className="py-1">User</th><th>Role</th><th>Status</th><th>Sessions</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {(list.data ?? []).map((u) => (
            <tr key={u.id} data-testid={`user-${u.username}`} className="border-t border-zinc-200 dark:border-zinc-800">
              <td className="py-1">{u.username}{u.sso ? <span className="ml-1 text-xs">(SSO)</span> : null}</td>
              <td>
                <select aria-label={`Role of ${u.username}`} className={field} value={u.role} onChange={(e) => update.mutate({ userId: u.id, role: e.target.value as Role })}>
                  {ROLES.map((r) => <option key={r}>{r}</option>)}
                </select>
              </td>
              <td>{u.disabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active'}</td>
              <td>{u.sessions}</td>
              <td className="flex gap-2 py-1">
                <Button onClick={() => update.mutate({ userId: u.id, disabled: !u.disabled })}>{u.disabled ? 'Enable' : 'Disable'}</Button>
                {u.sso ? null : <Button onClick={() => reset.mutate({ userId: u.id })}>Reset password</Button>}
                <Button variant="danger" onClick={() => { if (window.confirm(`Delete ${u.username}?`)) remove.mutate({ userId: u.id }); }}>Delete</Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
