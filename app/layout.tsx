import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/lib/auth/session";
import { themeClass } from "@/lib/auth/theme-names";
import "./globals.css";
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
  return (
    <html lang="en" className={themeClass(theme)}>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
