"use client";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Card className="mx-auto mt-12 max-w-lg p-6">
      <h1 className="text-base font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">{error.message || "The server could not answer; the database may be unreachable."}</p>
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </Card>
  );
}
