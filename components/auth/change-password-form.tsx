'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '@/components/providers/trpc';
import { Button } from '@/components/ui/button';

const input = 'rounded border border-zinc-300 bg-transparent px-3 py-2 dark:border-zinc-700';

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const change = useMutation(trpc.auth.changePassword.mutationOptions({
    onSuccess: () => {
      setDone(true);
      setCurrent('');
      setNext('');
      void queryClient.invalidateQueries();
    },
  }));
  const fieldErrors = (change.error?.data as { fieldErrors?: Array<{ path: string; message: string }> } | undefined)?.fieldErrors ?? [];
  const errorOf = (path: string) => fieldErrors.find((f) => f.path === path)?.message;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    change.mutate({ current, next });
  };
  return (
    <form aria-label="Change password" className="grid max-w-sm gap-3" onSubmit={submit}>
      <label className="grid gap-1 text-sm">
        Current password
        <input className={input} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} aria-invalid={Boolean(errorOf('current'))} />
        {errorOf('current') ? <span className="text-status-failed">{errorOf('current')}</span> : null}
      </label>
      <label className="grid gap-1 text-sm">
        New password
        <input className={input} type="password" autoComplete="new-password" required minLength={8} value={next} onChange={(e) => setNext(e.target.value)} aria-invalid={Boolean(errorOf('next'))} />
        {errorOf('next') ? <span className="text-status-failed">{errorOf('next')}</span> : null}
      </label>
      {change.error && fieldErrors.length === 0 ? <p role="alert" className="text-sm text-status-failed">{change.error.message}</p> : null}
      {done ? <p role="status" data-testid="password-changed" className="text-sm">Password changed. Your other sessions were signed out.</p> : null}
      <div><Button type="submit" variant="primary" disabled={change.isPending}>Change password</Button></div>
    </form>
  );
}
