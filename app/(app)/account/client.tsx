'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ChangePasswordForm } from '@/components/auth/change-password-form';
import { useTRPC } from '@/components/providers/trpc';
import { formatTime } from '@/components/ui/format';
import { Button } from '@/components/ui/button';

export function AccountClient() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const must = me.data?.user.mustChangePassword ?? false;
  const sessions = useQuery({ ...trpc.auth.sessions.queryOptions(), enabled: me.isSuccess && !must });
  const tokens = useQuery({ ...trpc.auth.tokens.queryOptions(), enabled: me.isSuccess && !must });
  const refresh = () => void queryClient.invalidateQueries();
  const revoke = useMutation(trpc.auth.revokeSession.mutationOptions({ onSuccess: refresh }));
  const everywhere = useMutation(trpc.auth.logoutEverywhere.mutationOptions({ onSettled: () => window.location.assign('/login') }));
  const [tokenName, setTokenName] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const create = useMutation(trpc.auth.createToken.mutationOptions({ onSuccess: (r) => { setShown(r.token); setTokenName(''); refresh(); } }));
  const revokeToken = useMutation(trpc.auth.revokeToken.mutationOptions({ onSuccess: refresh }));
  const submitToken = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: tokenName });
  };
  const sso = me.data?.user && !must;

  return (
    <div className="flex max-w-3xl flex-col gap-8">
      <h1 className="text-2xl font-semibold">Account</h1>
      {must ? <p role="alert" data-testid="must-change" className="rounded bg-status-cancelled/15 p-3 text-sm">Your password was set by an admin or printed at the first start: choose your own before anything else.</p> : null}
      <section aria-labelledby="pw" className="grid gap-3">
        <h2 id="pw" className="text-lg font-semibold">Change password</h2>
        <ChangePasswordForm />
      </section>
      {sso ? (
        <>
          <section aria-labelledby="sessions" className="grid gap-3">
            <h2 id="sessions" className="text-lg font-semibold">Sessions</h2>
            <table className="text-left text-sm">
              <thead><tr><th className="py-1">Signed in</th><th>Last seen</th><th>From</th><th>Browser</th><th><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {(sessions.data ?? []).map((s) => (
                  <tr key={s.id} data-testid="session-row" className="border-t border-zinc-200 dark:border-zinc-800">
                    <td className="py-1">{formatTime(s.createdAt)}</td>
                    <td>{formatTime(s.lastSeenAt)}</td>
                    <td>{s.address ?? '—'}</td>
                    <td className="max-w-56 truncate">{s.userAgent ?? '—'}</td>
                    <td>{s.current ? <span className="text-xs">this session</span> : <Button onClick={() => revoke.mutate({ sessionId: s.id })}>End</Button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div><Button variant="danger" onClick={() => everywhere.mutate()} disabled={everywhere.isPending}>Sign out everywhere</Button></div>
          </section>
          <section aria-labelledby="tokens" className="grid gap-3">
            <h2 id="tokens" className="text-lg font-semibold">CLI tokens</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Set <code>KUBEXMS_TOKEN</code> for the CLI to act as you. A token is shown once.</p>
            {shown ? <p role="status" className="break-all rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900" data-testid="new-token">{shown}</p> : null}
            <form className="flex items-end gap-2" onSubmit={submitToken} aria-label="Create token">
              <label className="grid gap-1 text-sm">Name<input className="rounded border border-zinc-300 bg-transparent px-2 py-1 dark:border-zinc-700" required maxLength={64} value={tokenName} onChange={(e) => setTokenName(e.target.value)} /></label>
              <Button type="submit" disabled={create.isPending}>Create token</Button>
            </form>
            <ul className="grid gap-1 text-sm">
              {(tokens.data ?? []).map((t) => (
                <li key={t.id} className="flex items-center gap-3">{t.name} <span className="text-zinc-600 dark:text-zinc-400">created {formatTime(t.createdAt)}{t.lastUsedAt ? `, used ${formatTime(t.lastUsedAt)}` : ''}</span><Button onClick={() => revokeToken.mutate({ tokenId: t.id })}>Revoke</Button></li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </div>
  );
}
