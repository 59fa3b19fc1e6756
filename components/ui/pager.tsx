import Link from "next/link";
import type { TPaging } from "@/lib/pagination/numbered";
import { withSearch } from "@/lib/pagination/search-params";

/** Previous and next page links, and where this page is. */
export function Pager({ page, pages, to, label = "Pages" }: { page: number; pages: number; to: (page: number) => string; label?: string }) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="flex items-center justify-end gap-4 border-t border-zinc-100 px-4 py-2 text-sm dark:border-zinc-800">
      {page > 1 && (
        <Link href={to(page - 1)} scroll={false} className="font-medium hover:underline">
          ← Previous
        </Link>
      )}
      <span className="text-zinc-500 dark:text-zinc-400">
        Page {page} of {pages}
      </span>
      {page < pages && (
        <Link href={to(page + 1)} scroll={false} className="font-medium hover:underline">
          Next →
        </Link>
      )}
    </nav>
  );
}

/** The pager of a numbered list whose URL holds ?page= beside its other parameters (`query`). */
export function NumberedPager({ path, paging, label }: { path: string; paging: TPaging; label: string }) {
  return <Pager page={paging.page} pages={paging.pages} to={(n) => withSearch(path, paging.query, { page: n > 1 ? String(n) : null })} label={label} />;
}
