'use client';
import type { ButtonHTMLAttributes } from 'react';
import { OFFLINE_REASON, useOffline } from '@/components/providers/use-offline';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-brand text-white hover:bg-brand/90 disabled:bg-brand/40',
  secondary: 'border border-zinc-300 bg-white hover:bg-zinc-50 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800',
  danger: 'bg-red-700 text-white hover:bg-red-800 disabled:opacity-50',
  ghost: 'hover:bg-zinc-100 dark:hover:bg-zinc-800',
};

/** `needsServer`: disabled, with the reason as its title, while the server cannot be reached. */
export function Button({ variant = 'secondary', className = '', needsServer = false, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; needsServer?: boolean }) {
  const offline = useOffline() && needsServer;
  return (
    <button
      type="button"
      {...props}
      disabled={props.disabled || offline}
      title={offline ? OFFLINE_REASON : props.title}
      className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand disabled:cursor-not-allowed ${VARIANTS[variant]} ${className}`}
    />
  );
}
