'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, type ReactNode } from 'react';

/** Filters kept in the URL's query: `set(key, '')` removes one (`also`: more keys in the same step), `clear()` all. */
export function useUrlFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  // two changes before the URL has updated must both count
  const latest = useRef(params.toString());
  useEffect(() => { latest.current = params.toString(); }, [params]);
  const set = (key: string, value: string, also: Record<string, string> = {}) => {
    const next = new URLSearchParams(latest.current);
    for (const [k, v] of Object.entries({ [key]: value, ...also })) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    latest.current = next.toString();
    router.replace(`${pathname}?${latest.current}`);
  };
  return { params, set, clear: () => router.replace(pathname) };
}

export const filterInput = 'rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';

export function FilterField({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs text-zinc-600 dark:text-zinc-400">{label}</label>
      {children}
    </div>
  );
}
