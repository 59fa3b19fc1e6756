import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/lib/auth/session";
import { themeClass } from "@/lib/auth/theme-names";
import "./globals.css";
import { chooseTimeZone, utcCookie, zoneCookie } from "@/lib/time/zone";
import { setZone } from "./(dashboard)/actions";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "Meshdeck", template: "%s · Meshdeck" },
  description: "Monitoring and governance console for microservices",
  applicationName: "Meshdeck",
  manifest: "/manifest.webmanifest",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "any" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: "/apple-touch-icon.png",
  },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#fafafa" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

// Every page is rendered per request: Next.js puts the request's CSP nonce (proxy.ts) on its scripts only then.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  // The theme is on the first byte of HTML, so a page never flashes the other one before a script could run.
  const user = await getCurrentUser();
  const theme = user?.theme ?? "system";
  const jar = await cookies();
  // A signed-in user's UTC choice is theirs in every browser; the cookie keeps it for the browser's own renders.
  const utc = user ? user.utc : jar.get(utcCookie)?.value === "1";
  const zone = chooseTimeZone({ browserZone: jar.get(zoneCookie)?.value, utc: utc ? "1" : "0" });
  return (
    <html lang="en" className={themeClass(theme)}>
      <body>
        <Providers zone={zone} utc={utc} saveUtc={user ? setZone : undefined}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
