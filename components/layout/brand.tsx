import { cn } from "@/components/ui/cn";

/** The Meshdeck mark and name, as the sidebar, the sign-in pages and the 404 page show it. */
export function Brand({ large = false }: { large?: boolean }) {
  return (
    <span className={cn("flex items-center gap-2 font-semibold", large ? "text-lg" : "text-base")}>
      <span
        aria-hidden
        className={cn(
          "grid place-items-center bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900",
          large ? "size-7 rounded-md text-sm" : "size-6 rounded text-xs",
        )}
      >
        M
      </span>
      Meshdeck
    </span>
  );
}
