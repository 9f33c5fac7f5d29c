'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '@/components/providers/trpc';

/** The logged-in user and a logout button, for the page header. */
export function UserMenu() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const logout = useMutation(trpc.auth.logout.mutationOptions({ onSettled: () => window.location.assign('/login') }));
  if (!me.data) return null;
  return (
    <div className="flex items-center gap-3 text-sm">
      <span data-testid="current-user" className="text-zinc-500">
        {me.data.user.username}
      </span>
      <button
        type="button"
        onClick={() => logout.mutate()}
        disabled={logout.isPending}
        className="rounded border border-zinc-300 px-2 py-1 hover:bg-zinc-100 disabled:opacity-60 dark:border-zinc-700 dark:hover:bg-zinc-900"
      >
        Log out
      </button>
    </div>
  );
}
