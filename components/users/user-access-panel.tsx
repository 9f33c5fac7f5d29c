'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { UserInfo } from '@/server/contracts/users-api';
import { GuardedButton } from '@/components/auth/guarded-button';
import { useTRPC } from '@/components/providers/trpc';
import { formatTime } from '@/components/ui/format';

const field = 'rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700';
type Notify = { shown: (text: string) => void; failed: (e: { message: string }) => void };

/** One user's sessions and CLI tokens, each revocable; a new token is shown once through `notify`. */
export function UserAccessPanel({ user, notify }: { user: UserInfo; notify: Notify }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.users.sessions.queryOptions({ userId: user.id }));
  const tokens = useQuery(trpc.users.tokens.queryOptions({ userId: user.id }));
  const refresh = () => void queryClient.invalidateQueries();
  const endSession = useMutation(trpc.users.revokeSession.mutationOptions({ onSuccess: refresh, onError: notify.failed }));
  const revokeToken = useMutation(trpc.users.revokeToken.mutationOptions({ onSuccess: refresh, onError: notify.failed }));
  const createToken = useMutation(trpc.users.createToken.mutationOptions({
    onSuccess: (r) => { notify.shown(`Token "${r.info.name}" for ${user.username} (shown once): ${r.token}`); setName(''); refresh(); },
    onError: notify.failed,
  }));
  const [name, setName] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    createToken.mutate({ userId: user.id, name });
  };

  return (
    <div className="grid gap-4 py-2 md:grid-cols-2" data-testid={`access-${user.username}`}>
      <section aria-label={`Sessions of ${user.username}`} className="grid content-start gap-2">
        <h3 className="font-semibold">Sessions</h3>
        {sessions.data?.length === 0 ? <p className="text-zinc-600 dark:text-zinc-400">No active session.</p> : null}
        <ul className="grid gap-1">
          {(sessions.data ?? []).map((s) => (
            <li key={s.id} data-testid="user-session" className="flex flex-wrap items-center gap-2">
              <span>{s.address ?? 'unknown address'}, since {formatTime(s.createdAt)}, last seen {formatTime(s.lastSeenAt)}</span>
              <GuardedButton procedure="users.revokeSession" blockedReason={s.current ? 'this is your current session' : null} disabled={endSession.isPending} onClick={() => endSession.mutate({ userId: user.id, sessionId: s.id })}>
                End session
              </GuardedButton>
            </li>
          ))}
        </ul>
      </section>
      <section aria-label={`CLI tokens of ${user.username}`} className="grid content-start gap-2">
        <h3 className="font-semibold">CLI tokens</h3>
        {tokens.data?.length === 0 ? <p className="text-zinc-600 dark:text-zinc-400">No token.</p> : null}
        <ul className="grid gap-1">
          {(tokens.data ?? []).map((t) => (
            <li key={t.id} data-testid="user-token" className="flex flex-wrap items-center gap-2">
              <span>{t.name}, created {formatTime(t.createdAt)}{t.lastUsedAt ? `, used ${formatTime(t.lastUsedAt)}` : ', never used'}</span>
              <GuardedButton procedure="users.revokeToken" disabled={revokeToken.isPending} onClick={() => revokeToken.mutate({ userId: user.id, tokenId: t.id })}>
                Revoke token
              </GuardedButton>
            </li>
          ))}
        </ul>
        <form className="flex flex-wrap items-end gap-2" onSubmit={submit} aria-label={`New token for ${user.username}`}>
          <label className="grid gap-1">Token name<input className={field} required maxLength={64} value={name} onChange={(e) => setName(e.target.value)} /></label>
          <GuardedButton procedure="users.createToken" type="submit" blockedReason={user.disabled ? 'the user is disabled' : null} disabled={createToken.isPending}>
            Create token
          </GuardedButton>
        </form>
      </section>
    </div>
  );
}
