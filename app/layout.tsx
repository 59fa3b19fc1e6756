import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import { chooseTimeZone, utcCookie, zoneCookie } from "@/lib/time/zone";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "Meshdeck", template: "%s · Meshdeck" },
  description: "Monitoring and governance console for microservices",
};

// Every page is rendered per request: Next.js puts the request's CSP nonce (proxy.ts) on its scripts only then.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const jar = await cookies();
  const utc = jar.get(utcCookie)?.value === "1";
  const zone = chooseTimeZone({ browserZone: jar.get(zoneCookie)?.value, utc: jar.get(utcCookie)?.value });
  return (
    <html lang="en">
      <body>
        <Providers zone={zone} utc={utc}>
          {children}
        </Providers>
      </body>
    </html>
  );
}
