import Link from "next/link";
import type { ReactNode } from "react";
import { NavLinks } from "@/components/layout/nav-links";
import { Badge } from "@/components/ui/badge";
import { requirePageUser } from "@/lib/auth/session";
import { signOutAction } from "./actions";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <div className="min-h-screen md:flex">
      <aside className="flex flex-col gap-6 border-b border-zinc-200 bg-white px-4 py-4 md:sticky md:top-0 md:h-screen md:w-56 md:shrink-0 md:border-b-0 md:border-r dark:border-zinc-800 dark:bg-zinc-900">
        <Link href="/" className="flex items-center gap-2 px-3 text-base font-semibold">
          <span aria-hidden className="grid size-6 place-items-center rounded bg-zinc-900 text-xs text-white dark:bg-zinc-100 dark:text-zinc-900">
            M
          </span>
          Meshdeck
        </Link>
        <NavLinks role={user.role} />
        {/* On phones a single row under the links, so signing out is never out of reach. */}
        <div className="mt-auto flex flex-wrap items-center gap-x-3 gap-y-1 px-3 text-sm md:block md:space-y-2">
          <div className="truncate font-medium" title={user.email}>
            {user.name}
          </div>
          <Badge>{user.role}</Badge>
          <Link href="/change-password" prefetch={false} className="block text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
            Change password
          </Link>
          <form action={signOutAction}>
            <button className="text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">Sign out</button>
          </form>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-4 py-6 md:px-8">{children}</main>
    </div>
  );
}
