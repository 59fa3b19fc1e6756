import { cn } from "./cn";

export function Skeleton({ className }: { className?: string }) {
  return <div data-skeleton className={cn("animate-pulse rounded-md bg-zinc-200 dark:bg-zinc-800", className)} />;
}
