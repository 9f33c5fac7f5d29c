'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '@/components/providers/trpc';

/** The signed-in user, their role, account and (admins) users links, and sign-out, for the page header. */
export function UserMenu() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const logout = useMutation(trpc.auth.logout.mutationOptions({ onSettled: () => window.location.assign('/login') }));
  if (!me.data) return null;
  const { user } = me.data;
  return (
    <nav aria-label="Account" className="flex items-center gap-3 text-sm">
      <span data-testid="current-user" className="text-zinc-600 dark:text-zinc-400">
        {user.username}
      </span>
      <span data-testid="current-role" className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
        {user.role}
      </span>
      <Link className="underline" href="/account">Account</Link>
      {user.role === 'admin' ? <Link className="underline" href="/users">Users</Link> : null}
      <button
        type="button"
        onClick={() => logout.mutate()}
        disabled={logout.isPending}
        className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900"
      >
        Log out
      </button>
    </nav>
  );
}
