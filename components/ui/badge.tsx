import type { ReactNode } from "react";
import { cn } from "./cn";

const tones = {
  neutral: "bg-zinc-100 text-zinc-700 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700",
  good: "bg-emerald-50 text-emerald-700 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-900",
  warn: "bg-amber-50 text-amber-700 ring-amber-200 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-900",
  bad: "bg-rose-50 text-rose-700 ring-rose-200 dark:bg-rose-950 dark:text-rose-300 dark:ring-rose-900",
  info: "bg-sky-50 text-sky-700 ring-sky-200 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-900",
} as const;

export type TTone = keyof typeof tones;

export function Badge({ tone = "neutral", children, title }: { tone?: TTone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={cn("inline-flex items-center gap-1 whitespace-nowrap rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset", tones[tone])}
    >
      {children}
    </span>
  );
}

const healthTones: Record<string, TTone> = { passing: "good", warning: "warn", critical: "bad", unknown: "neutral", deregistered: "neutral" };

export function HealthBadge({ health }: { health: string }) {
  return (
    <Badge tone={healthTones[health] ?? "neutral"}>
      <span aria-hidden className="size-1.5 rounded-full bg-current" />
      {health}
    </Badge>
  );
}

// How a client registered into the built-in registry: nothing for Meshdeck's own API, the protocol's name for a compat API.
const protocolNames: Record<string, string> = { consul: "Consul", eureka: "Eureka", nacos: "Nacos" };

export function ProtocolBadge({ protocol }: { protocol: string }) {
  const name = protocolNames[protocol];
  return name ? <Badge title={`registered through the ${name} API`}>{name}</Badge> : null;
}
