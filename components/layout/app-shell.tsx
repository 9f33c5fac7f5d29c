'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import type { ProcedurePath } from '@/server/contracts/access';
import { useAccess } from '@/components/auth/use-access';
import { useSocket } from '@/components/providers/socket-provider';
import { OfflineBanner } from './offline-banner';

const NAV: Array<{ href: string; label: string; procedure?: ProcedurePath }> = [
  { href: '/', label: 'Overview' },
  { href: '/clusters/new', label: 'New cluster', procedure: 'clusters.create' },
  { href: '/runs', label: 'Runs' },
  { href: '/audit', label: 'Audit' },
];

export function ConnectionState() {
  const { state } = useSocket();
  const look = { live: 'bg-status-succeeded', connecting: 'bg-status-pending', reconnecting: 'bg-status-cancelled animate-pulse', offline: 'bg-status-failed' }[state];
  return (
    <span data-testid="connection-state" data-state={state} className="inline-flex items-center gap-1.5 text-xs text-zinc-500" role="status" aria-live="polite">
      <span aria-hidden className={`size-2 rounded-full ${look}`} />
      {state}
    </span>
  );
}

function ThemeToggle() {
  const [dark, setDark] = useState<boolean | null>(null);
  useEffect(() => {
    const saved = localStorage.getItem('kubexms-theme');
    const initial = saved ? saved === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
    setDark(initial);
  }, []);
  useEffect(() => {
    if (dark !== null) document.documentElement.classList.toggle('dark', dark);
  }, [dark]);
  const toggle = () => {
    const next = !dark;
    localStorage.setItem('kubexms-theme', next ? 'dark' : 'light');
    setDark(next);
  };
  return (
    <button type="button" onClick={toggle} aria-label={dark ? 'Switch to light mode' : 'Switch to dark mode'} className="rounded px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
      {dark ? '☀' : '☾'}
    </button>
  );
}

export function AppShell({ children, userMenu }: { children: ReactNode; userMenu?: ReactNode }) {
  const pathname = usePathname();
  const { can } = useAccess();
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-40 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <nav aria-label="Main" className="mx-auto flex max-w-[1600px] items-center gap-4 px-4 py-2">
          <Link href="/" className="font-semibold text-brand">kubexms</Link>
          <ul className="flex gap-1 text-sm">
            {NAV.filter((n) => !n.procedure || can(n.procedure).allowed).map((n) => {
              const active = n.href === '/' ? pathname === '/' : pathname.startsWith(n.href);
              return (
                <li key={n.href}>
                  <Link href={n.href} aria-current={active ? 'page' : undefined} className={`rounded px-2 py-1 ${active ? 'bg-zinc-100 font-medium dark:bg-zinc-800' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}>{n.label}</Link>
                </li>
              );
            })}
          </ul>
          <div className="ml-auto flex items-center gap-3">
            <ConnectionState />
            <ThemeToggle />
            {userMenu}
          </div>
        </nav>
        <OfflineBanner />
      </header>
      <main className="mx-auto w-full max-w-[1600px] flex-1 px-4 py-6">{children}</main>
    </div>
  );
}
