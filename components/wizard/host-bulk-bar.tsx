'use client';
import { useState } from 'react';
import type { Role } from '@/server/contracts/cluster-spec';
import { ROLES } from '@/server/contracts/spec-host';
import { Button } from '@/components/ui/button';
import type { BulkChange } from './bulk-edit';

const INPUT = 'rounded border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';

type Props = { count: number; onApply: (c: BulkChange) => void; onTest: () => void; onRemove: () => void; onClear: () => void };

/** Sets one thing on every selected host at once. */
export function HostBulkBar({ count, onApply, onTest, onRemove, onClear }: Props) {
  const [user, setUser] = useState('');
  const [cred, setCred] = useState<'default' | 'key' | 'password'>('default');
  const [role, setRole] = useState<Role>('worker');
  const [label, setLabel] = useState('');
  return (
    <div role="group" aria-label="Change the selected hosts" data-testid="bulk-bar" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-md border border-brand/40 bg-brand/5 px-3 py-2 text-sm">
      <strong>{count} selected</strong>
      <span className="flex items-center gap-1">
        <input aria-label="User for the selected hosts" placeholder="user (empty: default)" value={user} onChange={(e) => setUser(e.target.value)} className={`${INPUT} w-40`} />
        <Button onClick={() => onApply({ kind: 'user', user })}>Set user</Button>
      </span>
      <span className="flex items-center gap-1">
        <select aria-label="Credentials for the selected hosts" value={cred} onChange={(e) => setCred(e.target.value as typeof cred)} className={INPUT}>
          <option value="default">default credentials</option><option value="key">own key</option><option value="password">own password</option>
        </select>
        <Button onClick={() => onApply(cred === 'default' ? { kind: 'credentials', useDefaults: true } : { kind: 'credentials', useDefaults: false, authType: cred })}>Set credentials</Button>
      </span>
      <span className="flex items-center gap-1">
        <select aria-label="Role for the selected hosts" value={role} onChange={(e) => setRole(e.target.value as Role)} className={INPUT}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
        <Button onClick={() => onApply({ kind: 'role', role, on: true })}>Add role</Button>
        <Button onClick={() => onApply({ kind: 'role', role, on: false })}>Remove role</Button>
      </span>
      <span className="flex items-center gap-1">
        <input aria-label="Labels for the selected hosts (k=v, …)" placeholder="k=v, …" value={label} onChange={(e) => setLabel(e.target.value)} className={`${INPUT} w-36`} />
        <Button onClick={() => onApply({ kind: 'label', label, on: true })} disabled={!label.trim()}>Add labels</Button>
        <Button onClick={() => onApply({ kind: 'label', label, on: false })} disabled={!label.trim()}>Remove labels</Button>
      </span>
      <span className="flex items-center gap-1">
        <Button onClick={onTest}>Test selected</Button>
        <Button onClick={onRemove}>Remove selected</Button>
        <Button variant="ghost" onClick={onClear}>Clear selection</Button>
      </span>
    </div>
  );
}
