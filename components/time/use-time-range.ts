"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { withSearch } from "@/lib/pagination/search-params";
import { readTimeRange, timeRangeSearch, type TTimeRange } from "@/lib/time/range";

/**
 * The console's range as the URL holds it, and a way to change it: a new history entry, so back and forward step
 * through the ranges seen; a page of results (?before=, ?cursor=) starts again at the newest.
 */
export function useTimeRange() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const { range, problem } = readTimeRange(new URLSearchParams(search.toString()));
  const setRange = (next: TTimeRange | null) => {
    router.push(withSearch(pathname, search.toString(), { ...timeRangeSearch(next), before: null, cursor: null }), { scroll: false });
  };
  return { range, problem, setRange };
}
