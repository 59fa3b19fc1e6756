import Link from "next/link";
import type { ReactNode } from "react";
import { CommandPalette } from "@/components/layout/command-palette";
import { NavDrawer } from "@/components/layout/nav-drawer";
import { ThemeToggle } from "@/components/layout/theme-toggle";
import { Badge } from "@/components/ui/badge";
import { requirePageUser } from "@/lib/auth/session";
import { setTheme, signOutAction } from "./actions";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  return (
    <div className="min-h-screen md:flex">
      {/* The first tab stop: past the navigation straight to the page. */}
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:shadow-lg dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <NavDrawer
        role={user.role}
        search={<CommandPalette role={user.role} />}
        account={
          <div className="mt-auto space-y-2 px-3 text-sm">
            <div className="truncate font-medium" title={user.email}>
              {user.name}
            </div>
            <Badge>{user.role}</Badge>
            <ThemeToggle theme={user.theme} setTheme={setTheme} />
            {/* Single sign-on users change their password at their identity provider. */}
            {!user.sso && (
              <Link href="/change-password" prefetch={false} className="block text-zinc-600 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100">
                Change password
              </Link>
            )}
            <form action={signOutAction}>
              <button className="text-zinc-600 hover:text-zinc-900 dark:text-zinc-300 dark:hover:text-zinc-100">Sign out</button>
            </form>
          </div>
        }
      />
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 md:px-8">
        {children}
      </main>
    </div>
  );
}
