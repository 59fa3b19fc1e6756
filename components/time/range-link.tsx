"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { ComponentProps } from "react";
import { carryTimeRange } from "@/lib/time/range";

/** A link that keeps the page's time range when it leads to another page that reads one. */
export function RangeLink({ href, ...props }: ComponentProps<typeof Link> & { href: string }) {
  const search = useSearchParams();
  return <Link href={carryTimeRange(href, search.toString())} {...props} />;
}

/** The same, for links built outside JSX (the navigation). */
export function useRangeHref(): (href: string) => string {
  const search = useSearchParams().toString();
  return (href) => carryTimeRange(href, search);
}
