import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { TimelineLegend } from "./health-timeline";

/** The health timelines' card on the service and instance pages: the legend beside the title, the rows scrolling in their own box. */
export function HealthHistoryCard({ loading = false, note, children }: { loading?: boolean; note?: ReactNode; children: ReactNode }) {
  return (
    <Card
      title={
        <span className="flex items-center gap-3">
          Health history
          {loading && <span className="text-xs font-normal text-zinc-500 dark:text-zinc-400">loading…</span>}
        </span>
      }
      className="mt-6"
      action={
        <span className="hidden md:block">
          <TimelineLegend />
        </span>
      }
    >
      <div className="overflow-x-auto">{children}</div>
      {note && <p className="border-t border-zinc-200 px-4 py-2 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">{note}</p>}
    </Card>
  );
}
