// One query benchmark in a process of its own, on the fresh database at DATABASE_URL, started by
// bench/metrics/run.ts: `tsx --conditions=react-server bench/metrics/query-entry.ts chart|topology`.
// Its last stdout line is the result as JSON.
import { migrateDatabase } from "@/lib/db/migrate";

async function main() {
  const kind = process.argv[2];
  await migrateDatabase();
  const result =
    kind === "chart"
      ? await (await import("./chart-query")).benchChartQuery()
      : kind === "topology"
        ? await (await import("./topology-query")).benchTopologyQuery()
        : null;
  if (!result) throw new Error(`usage: query-entry.ts chart|topology (got ${kind})`);
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
