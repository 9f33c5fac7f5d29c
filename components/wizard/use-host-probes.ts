'use client';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { ProbeInput, ProbeResult } from '@/server/contracts/cluster-api';
import { useTRPC } from '@/components/providers/trpc';
import { effectiveCredentials, toSpecInput, type HostRow, type WizardForm } from './form-model';

export type ProbeState = ProbeResult | 'probing';

export function probeInputFor(form: WizardForm, h: HostRow, clusterId: number | null): ProbeInput {
  const c = effectiveCredentials(h, form.defaults);
  const spec = toSpecInput({ ...form, hosts: [{ ...h, ...c, useDefaults: false }] });
  const host = spec.hosts[0]!;
  return {
    clusterId: clusterId ?? undefined,
    form: {
      name: host.name || undefined, address: host.address, port: host.port ?? 22, user: c.user.trim() || 'root', auth: host.auth ?? { type: 'key' },
      ...(h.useDefaults ? { usesDefaults: true } : {}), hostKeyFingerprint: host.hostKeyFingerprint,
    },
  };
}

/** Connection tests per row (by row key), at most 8 at once; accepting a key re-tests at once. */
export function useHostProbes(clusterId: number | null) {
  const [probes, setProbes] = useState<Record<string, ProbeState>>({});
  const trpc = useTRPC();
  const { mutateAsync } = useMutation(trpc.hosts.probe.mutationOptions());

  const test = useCallback(async (f: WizardForm, h: HostRow) => {
    setProbes((p) => ({ ...p, [h.key]: 'probing' }));
    try {
      const result = await mutateAsync(probeInputFor(f, h, clusterId));
      setProbes((p) => ({ ...p, [h.key]: result }));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      setProbes((p) => ({ ...p, [h.key]: { ok: false, host: h.name, kind: 'unreachable', message, fingerprint: null, pinned: null } }));
    }
  }, [mutateAsync, clusterId]);

  const testMany = useCallback(async (f: WizardForm, rows: readonly HostRow[]) => {
    const queue = [...rows];
    const worker = async () => { for (let h = queue.shift(); h; h = queue.shift()) await test(f, h); };
    await Promise.all(Array.from({ length: Math.min(8, queue.length) }, worker));
  }, [test]);

  return { probes, test, testMany };
}

/** Keys a test offered that are not pinned yet (and did not change under a pin). */
export function offeredKeys(hosts: readonly HostRow[], probes: Readonly<Record<string, ProbeState>>) {
  return hosts.flatMap((h) => {
    const p = probes[h.key];
    return p && p !== 'probing' && p.ok && p.matches !== false && p.fingerprint !== h.hostKeyFingerprint ? [{ key: h.key, fingerprint: p.fingerprint }] : [];
  });
}
