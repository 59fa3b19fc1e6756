import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "Meshdeck", template: "%s · Meshdeck" },
  description: "Monitoring and governance console for microservices",
};

// Every page is rendered per request: Next.js puts the request's CSP nonce (proxy.ts) on its scripts only then.
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
