import type { ReactNode } from "react";
import { cn } from "./cn";

export function Card({ title, action, children, className }: { title?: ReactNode; action?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={cn("rounded-lg border border-zinc-200 bg-white shadow-sm dark:border-zinc-800 dark:bg-zinc-900", className)}>
      {(title || action) && (
        <header className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">{title}</h2>
          {action}
        </header>
      )}
      {children}
    </section>
  );
}

export function Stat({
  label,
  value,
  tone = "default",
  hint,
}: {
  label: string;
  value: ReactNode;
  tone?: "default" | "good" | "bad" | "warn";
  hint?: ReactNode;
}) {
  const tones = {
    default: "",
    good: "text-emerald-600 dark:text-emerald-400",
    bad: "text-rose-600 dark:text-rose-400",
    warn: "text-amber-600 dark:text-amber-400",
  };
  return (
    <Card className="px-4 py-3">
      <dl>
        <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</dt>
        <dd className={cn("mt-1 text-2xl font-semibold tabular-nums", tones[tone])} aria-label={label}>
          {value}
        </dd>
        {hint && <dd className="mt-0.5 text-xs text-zinc-500">{hint}</dd>}
      </dl>
    </Card>
  );
}
