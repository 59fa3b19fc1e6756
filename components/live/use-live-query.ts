"use client";

import { useQuery } from "@tanstack/react-query";
import type { TApiUrl } from "@/lib/clients/api-urls";
import { ApiError, fetchApi } from "@/lib/clients/fetch-api";

// Pages render on the server with fresh data, then keep it live by polling the same API a service would use.
async function fetchLive<T>(url: TApiUrl<T>): Promise<T> {
  try {
    return await fetchApi(url);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) window.location.assign("/login");
    throw error;
  }
}

/** Follows `url` (none: the initial data stays as it is). */
export function useLiveQuery<T extends object>({ url, initialData, intervalMs = 1000 }: { url: TApiUrl<T> | null; initialData: NoInfer<T>; intervalMs?: number }) {
  return useQuery({
    queryKey: [url],
    queryFn: () => (url === null ? initialData : fetchLive(url)),
    enabled: url !== null,
    initialData,
    initialDataUpdatedAt: Date.now(),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
  });
}
