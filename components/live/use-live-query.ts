"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TApiUrl } from "@/lib/clients/api-urls";
import { ApiError, fetchApi } from "@/lib/clients/fetch-api";

// Pages render on the server with fresh data, then keep it live by polling the same API a service would use.
async function fetchLive<T>(url: TApiUrl<T>): Promise<T> {
  try {
    return await fetchApi(url);
  } catch (error) {
    // Not a component, so no router; a lost session wants a full load of the login page anyway, dropping client state.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- outside React, on a 401
    if (error instanceof ApiError && error.status === 401) window.location.assign("/login");
    throw error;
  }
}

/**
 * Follows `url` (none: the initial data stays as it is). With `initialUrl`, the initial data is that url's only: another
 * url (the next page, a new filter) shows the last data until its own arrives, with `isPlaceholderData` set meanwhile.
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
  const query = useQuery({
    queryKey: [url],
    queryFn: () => (url === null ? initialData : fetchLive(url)),
    enabled: url !== null,
    initialData: initialUrl === undefined || url === initialUrl ? initialData : undefined,
    initialDataUpdatedAt: loadedAt,
    placeholderData: keepPreviousData,
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
  });
  return { ...query, data: query.data ?? initialData };
}
