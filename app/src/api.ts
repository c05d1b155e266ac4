/** The ledger GraphQL API (issue #19's schema) through TanStack Query. */
import { QueryClient, useQuery, type UseQueryOptions } from "@tanstack/react-query";
import { config } from "./config";

export class ApiError extends Error {}

/** One GraphQL request; GraphQL errors become an ApiError naming them. */
export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(config.apiUrl, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json().catch(() => undefined)) as { data?: T; errors?: { message: string }[] } | undefined;
  if (!body) throw new ApiError(`ledger API: HTTP ${res.status}`);
  if (body.errors?.length) throw new ApiError(`ledger API: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data as T;
}

export const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 2_000, retry: 1, refetchOnWindowFocus: false } },
});

/** A query's cache key and fetcher, shared by the page hook and the route prefetch (code and data load together). */
export interface ApiQuery<T> {
  key: unknown[];
  fetch: () => Promise<T>;
}

export function apiQuery<T>(name: string, query: string, variables: Record<string, unknown> = {}): ApiQuery<T> {
  return { key: ["api", name, variables], fetch: () => gql<T>(query, variables) };
}

export function useApi<T>(q: ApiQuery<T>, options: Partial<UseQueryOptions<T>> = {}) {
  return useQuery<T>({ queryKey: q.key, queryFn: q.fetch, ...options });
}

/** Starts a query unless the cache already has it (the page's hook then picks up the same request). */
export function prefetch<T>(q: ApiQuery<T>): void {
  if (!queryClient.getQueryState(q.key)) void queryClient.prefetchQuery({ queryKey: q.key, queryFn: q.fetch });
}

/** After a transaction: refetch chain reads now, and ledger reads now and once the indexer had time to follow. */
export function refreshLedger(): void {
  void queryClient.invalidateQueries();
  setTimeout(() => void queryClient.invalidateQueries({ queryKey: ["api"] }), 1200);
}
