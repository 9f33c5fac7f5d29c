'use client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import { CSRF_HEADER } from '@/server/contracts/auth';
import type { AppRouter } from '@/server/trpc/routers';
import { SocketProvider } from './socket-provider';
import { TRPCProvider } from './trpc';

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({
      queryCache: new QueryCache({ onError: toLoginOn401 }),
      mutationCache: new MutationCache({ onError: toLoginOn401 }),
      defaultOptions: { queries: { staleTime: 5_000, refetchOnWindowFocus: false, retry: (n, err) => httpStatus(err) !== 401 && httpStatus(err) !== 404 && n < 1 } },
    }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', headers: { [CSRF_HEADER]: '1' } })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <SocketProvider>{children}</SocketProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

function httpStatus(err: unknown): number | undefined {
  const data = (err as { data?: { httpStatus?: unknown } } | null)?.data;
  return typeof data?.httpStatus === 'number' ? data.httpStatus : undefined;
}

/** A session that expired while the page was open: back to the login page, then here again. */
function toLoginOn401(err: unknown) {
  if (httpStatus(err) !== 401 || window.location.pathname.startsWith('/login')) return;
  window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}
