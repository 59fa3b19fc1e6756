"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { loginHref } from "@/lib/auth/return-path";
import type { TApiUrl } from "@/lib/clients/api-urls";
import { ApiError, fetchApi } from "@/lib/clients/fetch-api";
import { readRefreshChoice, refreshInterval } from "@/lib/time/refresh";

// Pages render on the server with fresh data, then keep it live by polling the same API a service would use.
async function fetchLive<T>(url: TApiUrl<T>): Promise<T> {
  try {
    return await fetchApi(url);
  } catch (error) {
    // Not a component, so no router; a lost session wants a full load of the login page anyway, dropping client state.
    if (error instanceof ApiError && error.status === 401) window.location.assign(loginHref(`${window.location.pathname}${window.location.search}`));
    throw error;
  }
}

/**
 * Follows `url` (none: the initial data stays as it is), every `intervalMs` unless the URL's ?refresh= pauses it or
 * sets another interval. With `initialUrl`, the initial data is that url's only: another url (the next page, a new
 * filter) shows the last data until its own arrives, with `isPlaceholderData` set meanwhile.
 */
export function useLiveQuery<T extends object>({
  url,
  initialData,
  initialUrl,
  intervalMs = 1000,
}: {
  url: TApiUrl<T> | null;
  initialData: NoInfer<T>;
  initialUrl?: TApiUrl<T>;
  intervalMs?: number;
}) {
  // When the server rendered the initial data, near enough: taken once, as a render must not read the clock.
  const [loadedAt] = useState(() => Date.now());
  const pollMs = refreshInterval({ choice: readRefreshChoice(useSearchParams().get("refresh")), pageMs: intervalMs });
  const query = useQuery({
    queryKey: [url],
    queryFn: () => (url === null ? initialData : fetchLive(url)),
    enabled: url !== null,
    initialData: initialUrl === undefined || url === initialUrl ? initialData : undefined,
    initialDataUpdatedAt: loadedAt,
    placeholderData: keepPreviousData,
    refetchInterval: pollMs ?? false,
    refetchIntervalInBackground: false,
  });
  // What the indicator needs: the last answer of any url (a new filter shows the last data until its own arrives),
  // and how often one should have come since.
  const [updatedAt, setUpdatedAt] = useState(loadedAt);
  if (query.dataUpdatedAt > updatedAt) setUpdatedAt(query.dataUpdatedAt);
  return { ...query, data: query.data ?? initialData, updatedAt, pollMs };
}

export type TLiveState = { error: Error | null; updatedAt: number; pollMs: number | null };
