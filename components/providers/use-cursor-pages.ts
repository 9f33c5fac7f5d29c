'use client';
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

type Page<T> = { items: T[]; nextCursor: number | null };

/**
 * Cursor pagination over a tRPC query. tRPC's infiniteQueryOptions adds `direction` to the input,
 * which the server's strict input schemas refuse, so the page fetch passes only `cursor`.
 */
export function useCursorPages<T>(key: QueryKey, fetchPage: (cursor: number | undefined) => Promise<Page<T>>) {
  return useInfiniteQuery({
    queryKey: key,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    getNextPageParam: (last: Page<T>) => last.nextCursor ?? undefined,
  });
}
