'use client';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Button } from './button';

type Props = {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** the confirm button stays disabled until this is typed (the server checks it again) */
  typeToConfirm?: string;
  busy?: boolean;
  /** the server's answer when it refused */
  error?: string | null;
  onConfirm: (typed: string) => void;
  onClose: () => void;
  testId?: string;
};

/** A modal dialog (native <dialog>: focus stays inside, Esc closes) instead of the browser's confirm()/prompt(). */
export function ConfirmDialog({ open, title, children, confirmLabel, typeToConfirm, busy = false, error, onConfirm, onClose, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    // showModal focuses the first control; the name field (or the confirm button) is the one to start in
    if (open && !d.open) { setTyped(''); d.showModal(); d.querySelector<HTMLElement>('[data-first-focus]')?.focus(); }
    if (!open && d.open) d.close();
  }, [open]);
  const ready = typeToConfirm === undefined || typed === typeToConfirm;
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} onClose={onClose} data-testid={testId}
      className="m-auto w-full max-w-lg rounded-lg border border-zinc-300 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100">
      <form className="flex flex-col gap-3 p-4" onSubmit={(e) => { e.preventDefault(); if (ready && !busy) onConfirm(typed); }}>
        <h2 id={`${id}-title`} className="text-lg font-semibold">{title}</h2>
        {children ? <div className="flex flex-col gap-2 text-sm">{children}</div> : null}
        {typeToConfirm !== undefined ? (
          <label className="flex flex-col gap-1 text-sm">
            <span>Type <b className="font-mono">{typeToConfirm}</b> to confirm</span>
            <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} name="confirmName" data-first-focus
              aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}
              className="rounded-md border border-zinc-400 bg-transparent px-2 py-1 font-mono dark:border-zinc-600" />
          </label>
        ) : null}
        {error ? <p id={`${id}-error`} role="alert" className="rounded bg-status-failed/10 p-2 text-sm">{error}</p> : null}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" needsServer disabled={!ready || busy} data-first-focus={typeToConfirm === undefined ? true : undefined}>{confirmLabel}</Button>
        </div>
      </form>
    </dialog>
  );
}
