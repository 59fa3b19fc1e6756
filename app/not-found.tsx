import type { Metadata } from "next";
import Link from "next/link";
import { Brand } from "@/components/layout/brand";

export const metadata: Metadata = { title: "Page not found" };

const places = [
  { href: "/", label: "Overview", what: "the fleet's health now" },
  { href: "/services", label: "Services", what: "every service and its instances" },
  { href: "/events", label: "Events", what: "what changed, newest first" },
  { href: "/config", label: "Config", what: "configuration items" },
];

// Any address no route answers: say so plainly and offer the places people usually meant.
export default function NotFound() {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md">
        <Brand large />
        <p className="mt-10 font-mono text-sm text-zinc-600 dark:text-zinc-400">404</p>
        <h1 className="mt-1 text-2xl font-semibold">There is no page at this address</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          The link may be old, or the address mistyped. A service, instance or config item that was removed is no longer listed.
        </p>
        <ul className="mt-6 divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white dark:divide-zinc-800 dark:border-zinc-800 dark:bg-zinc-900">
          {places.map((place) => (
            <li key={place.href}>
              <Link
                href={place.href}
                prefetch={false}
                className="flex items-baseline justify-between gap-4 px-4 py-3 text-sm hover:bg-zinc-50 dark:hover:bg-zinc-800"
              >
                <span className="font-medium">{place.label}</span>
                <span className="text-zinc-600 dark:text-zinc-400">{place.what}</span>
              </Link>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
