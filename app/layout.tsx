import type { Metadata, Viewport } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/lib/auth/session";
import { themeClass } from "@/lib/auth/theme-names";
import "./globals.css";
import { chooseTimeZone, utcCookie, zoneCookie } from "@/lib/time/zone";
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
  const theme = (await getCurrentUser())?.theme ?? "system";
  const jar = await cookies();
  const utc = jar.get(utcCookie)?.value === "1";
  const zone = chooseTimeZone({ browserZone: jar.get(zoneCookie)?.value, utc: jar.get(utcCookie)?.value });
  return (
    <html lang="en" className={themeClass(theme)}>
      <body>
        <Providers zone={zone} utc={utc}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
