'use client';
import { useQuery } from '@tanstack/react-query';
import { canCall, deniedReason, type ProcedurePath, type Role } from '@/server/contracts/access';
import { useTRPC } from '@/components/providers/trpc';

/** The signed-in user's role, and whether it may call a procedure (the server's own rule table) with the reason if not. */
export function useAccess(): { role: Role | null; can: (path: ProcedurePath) => { allowed: boolean; reason: string } } {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const role = me.data?.user.role ?? null;
  return { role, can: (path) => ({ allowed: role !== null && canCall(role, path), reason: deniedReason(path) }) };
}
