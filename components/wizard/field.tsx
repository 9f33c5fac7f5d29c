'use client';
import { useId, type ReactNode } from 'react';

export type Errors = ReadonlyMap<string, string>;

const INPUT = 'w-full rounded-md border bg-transparent px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-brand';
const border = (error?: string) => (error ? 'border-status-failed' : 'border-zinc-300 dark:border-zinc-700');

type Common = { label: string; error?: string; hint?: ReactNode; name: string; className?: string };

export function TextField({ label, error, hint, name, className = '', value, onChange, type = 'text', placeholder, autoComplete = 'off', required, inputMode }: Common & {
  value: string; onChange: (v: string) => void; type?: string; placeholder?: string; autoComplete?: string; required?: boolean; inputMode?: 'numeric' | 'text';
}) {
  const id = useId();
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}{required ? ' *' : ''}</label>
      <input id={id} name={name} type={type} value={value} placeholder={placeholder} autoComplete={autoComplete} inputMode={inputMode} required={required}
        aria-invalid={!!error} aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => onChange(e.target.value)} className={`${INPUT} ${border(error)}`} />
      {error ? <p id={`${id}-err`} role="alert" data-field-error={name} className="text-xs text-status-failed">{error}</p> : hint ? <p className="text-xs text-zinc-500">{hint}</p> : null}
    </div>
  );
}

export function TextArea({ label, error, hint, name, className = '', value, onChange, rows = 4, placeholder }: Common & {
  value: string; onChange: (v: string) => void; rows?: number; placeholder?: string;
}) {
  const id = useId();
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</label>
      <textarea id={id} name={name} rows={rows} value={value} placeholder={placeholder} aria-invalid={!!error} aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => onChange(e.target.value)} className={`${INPUT} ${border(error)} font-mono`} spellCheck={false} />
      {error ? <p id={`${id}-err`} role="alert" data-field-error={name} className="text-xs text-status-failed">{error}</p> : hint ? <p className="text-xs text-zinc-500">{hint}</p> : null}
    </div>
  );
}

export function SelectField<T extends string>({ label, error, name, className = '', value, onChange, options }: Common & {
  value: T; onChange: (v: T) => void; options: ReadonlyArray<{ value: T; label: string }>;
}) {
  const id = useId();
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value as T)} aria-invalid={!!error} aria-describedby={error ? `${id}-err` : undefined}
        className={`${INPUT} ${border(error)} dark:bg-zinc-900`}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {error ? <p id={`${id}-err`} role="alert" data-field-error={name} className="text-xs text-status-failed">{error}</p> : null}
    </div>
  );
}

/** Errors for a path and everything below it (e.g. hosts.0 → hosts.0.address). */
export function errorsUnder(errors: Errors, prefix: string): string[] {
  return [...errors].filter(([p]) => p === prefix || p.startsWith(`${prefix}.`)).map(([, m]) => m);
}
