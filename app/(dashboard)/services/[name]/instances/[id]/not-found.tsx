import Link from "next/link";
import { Card } from "@/components/ui/card";

export default function InstanceNotFound() {
  return (
    <Card className="mx-auto mt-12 max-w-lg p-6">
      <h1 className="text-base font-semibold">No such instance</h1>
      <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">It is not registered with this service, or it has left it.</p>
      <Link href="/services" className="mt-4 inline-block text-sm underline">
        Back to services
      </Link>
    </Card>
  );
}
