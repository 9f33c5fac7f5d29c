'use client';
import { useId, useState } from 'react';
import { LIMITS } from '@/server/contracts/spec-fields';

/** Reads a private key file in the browser (never uploaded as a file, never logged): the text goes into the form like a paste. */
export function KeyFileInput({ label, onKey }: { label: string; onKey: (text: string) => void }) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const read = async (file: File) => {
    if (file.size > LIMITS.privateKey) return setProblem(`${file.name} is larger than ${LIMITS.privateKey / 1024} KiB: not a private key`);
    const text = await file.text();
    if (!/-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----/.test(text)) return setProblem(`${file.name} is not a PEM or OpenSSH private key (a .pub file is the public half)`);
    setProblem(null);
    onKey(text.trim() + '\n');
  };
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</label>
      <input id={id} type="file" className="text-xs file:mr-2 file:rounded file:border file:border-zinc-300 file:bg-transparent file:px-2 file:py-1 dark:file:border-zinc-700"
        onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void read(f); }} />
      {problem ? <p role="alert" className="text-xs text-status-failed">{problem}</p> : null}
    </div>
  );
}
