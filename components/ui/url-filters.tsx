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

type Option = string | { value: string | number; label: string };

/** A select over one URL filter: '' (the first option, `all`) removes it. */
export function FilterSelect({ id, label, value, onChange, all = 'all', options }: { id: string; label: string; value: string; onChange: (value: string) => void; all?: string; options: readonly Option[] }) {
  return (
    <FilterField id={id} label={label}>
      <select id={id} className={filterInput} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{all}</option>
        {options.map((o) => (typeof o === 'string' ? <option key={o} value={o}>{o}</option> : <option key={o.value} value={o.value}>{o.label}</option>))}
      </select>
    </FilterField>
  );
}
