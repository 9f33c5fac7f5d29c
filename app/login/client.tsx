'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/providers/trpc';

function loginErrorText(error: { message: string; data?: { code?: string } | null } | null): string | null {
  if (!error) return null;
  if (error.data?.code === 'UNAUTHORIZED') return 'Wrong username or password.';
  if (error.data?.code === 'TOO_MANY_REQUESTS') return error.message;
  return `Login failed: ${error.message}`;
}

export function LoginClient({ next, ssoError }: { next: string; ssoError: string | null }) {
  const trpc = useTRPC();
  const sso = useQuery(trpc.auth.sso.queryOptions());
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      // A full load, so the socket and every query start again with the new session cookie.
      onSuccess: () => window.location.assign(next),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ username, password });
  };
  const error = loginErrorText(login.error);

  return (
    <main className="mx-auto mt-24 max-w-sm p-8">
      <h1 className="text-2xl font-semibold text-brand">kubexms</h1>
      <form className="mt-6 grid gap-4" onSubmit={submit} aria-label="Log in">
        <label className="grid gap-1 text-sm">
          Username
          <input
            className="rounded border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700"
            name="username"
            autoComplete="username"
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="grid gap-1 text-sm">
          Password
          <input
            className="rounded border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p role="alert" data-testid="login-error" className="text-sm text-status-failed">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={login.isPending || login.isSuccess}
          className="rounded bg-brand px-3 py-2 text-sm font-medium text-white disabled:opacity-60"
        >
          {login.isPending || login.isSuccess ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      {ssoError ? <p role="alert" data-testid="sso-error" className="mt-4 text-sm text-status-failed">{ssoError}</p> : null}
      {sso.data ? (
        <a className="mt-4 block rounded border border-zinc-300 px-3 py-2 text-center text-sm font-medium dark:border-zinc-700" href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}>
          Sign in with {sso.data.name}
        </a>
      ) : null}
    </main>
  );
}
