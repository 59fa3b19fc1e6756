"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { z } from "zod";
import { TimeZoneProvider, type TSaveUtc } from "@/components/time/time-zone";
import type { TTimeZone } from "@/lib/time/format";

// Zod compiles object parsers with new Function unless told not to; the CSP (proxy.ts) allows no eval, so every
// parse in the browser would report a violation.
z.config({ jitless: true });

export function Providers({ zone, utc, saveUtc, children }: { zone: TTimeZone; utc: boolean; saveUtc?: TSaveUtc; children: ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 500, refetchOnWindowFocus: true } } }));
  return (
    <QueryClientProvider client={client}>
      <TimeZoneProvider zone={zone} utc={utc} saveUtc={saveUtc}>
        {children}
      </TimeZoneProvider>
    </QueryClientProvider>
  );
}
