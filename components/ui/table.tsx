import type { ReactNode, TdHTMLAttributes } from "react";
import { cn } from "./cn";

/**
 * A table that scrolls sideways inside its own box, never the page; it takes focus so the keyboard can scroll it too.
 * Put the columns that name and judge a row first: on a phone they are the ones in view. A head cell given as ""
 * (a column of row buttons) is named "Actions" for screen readers.
 */
export function Table({ head, children, empty }: { head: ReactNode[]; children: ReactNode; empty?: ReactNode }) {
  return (
    // relative: an sr-only (absolute) head cell past the right edge would otherwise widen the page, not this box.
    <div className="relative max-w-full overflow-x-auto" tabIndex={0}>
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
          <tr className="border-b border-zinc-200 dark:border-zinc-800">
            {head.map((cell, index) => (
              <th key={index} className="whitespace-nowrap px-4 py-2 font-medium">
                {cell === "" ? <span className="sr-only">Actions</span> : cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">{children}</tbody>
      </table>
      {empty}
    </div>
  );
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-4 py-2 align-top", className)} {...props} />;
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="px-4 py-8 text-center text-sm text-zinc-500 dark:text-zinc-400">{children}</p>;
}
