"use client";

import { useQuery } from "@tanstack/react-query";

// Pages render on the server with fresh data, then keep it live by polling the same API a service would use.
async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  if (response.status === 401) {
    window.location.assign("/login");
    throw new Error("signed out");
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `${response.status} ${response.statusText}`);
  return body as T;
}

export function useLiveQuery<T extends object>({ url, initialData, intervalMs = 1000 }: { url: string; initialData: T; intervalMs?: number }) {
  return useQuery({
    queryKey: [url],
    queryFn: () => fetchJson<T>(url),
    initialData,
    initialDataUpdatedAt: Date.now(),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
  });
}
