'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '@/server/contracts/access';
import { GuardedButton } from '@/components/auth/guarded-button';
import { useAccess } from '@/components/auth/use-access';
import { useTRPC } from '@/components/providers/trpc';
import { UserRow } from '@/components/users/user-row';

const field = 'rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700';

export function UsersClient() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useAccess();
  const allowed = can('users.list');
  const me = useQuery(trpc.auth.me.queryOptions());
  const list = useQuery({ ...trpc.users.list.queryOptions(), enabled: allowed.allowed });
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const notify = { shown: setNotice, failed: (e: { message: string }) => setError(e.message), done: () => setError(null) };
  const create = useMutation(trpc.users.create.mutationOptions({
    onSuccess: (r) => { setError(null); void queryClient.invalidateQueries(); setNotice(`Created ${r.user.username}. One-time password (shown once): ${r.password}`); },
    onError: notify.failed,
  }));
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ username, role });
    setUsername('');
  };
  if (me.isPending) return null;
  if (!allowed.allowed) return <p role="alert" data-testid="users-refused">Users: {allowed.reason}.</p>;

  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      <form className="flex flex-wrap items-end gap-2" onSubmit={submit} aria-label="Create user">
        <label className="grid gap-1 text-sm">Username<input className={field} required value={username} onChange={(e) => setUsername(e.target.value)} /></label>
        <label className="grid gap-1 text-sm">Role
          <select className={field} value={role} onChange={(e) => setRole(e.target.value as Role)}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>
        </label>
        <GuardedButton procedure="users.create" type="submit" variant="primary" disabled={create.isPending}>Create user</GuardedButton>
      </form>
      {notice ? <p role="status" data-testid="users-notice" className="break-all rounded bg-zinc-100 p-2 font-mono text-sm dark:bg-zinc-900">{notice}</p> : null}
      {error ? <p role="alert" data-testid="users-error" className="text-sm text-status-failed">{error}</p> : null}
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="[&_th]:py-1 [&_th]:pr-3"><th>User</th><th>Source</th><th>Role</th><th>Status</th><th>Last seen</th><th>Access</th><th><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((u) => <UserRow key={u.id} user={u} self={u.id === me.data?.user.id} notify={notify} />)}
          </tbody>
        </table>
      </div>
    </div>
  );
}
