// What PostgreSQL's backends were doing during a phase of bench:registry: pg_stat_activity sampled every few
// milliseconds, each app connection counted as running, waiting (on what) or idle inside a transaction (its app busy
// elsewhere between two statements). A wait on a lock names the statement waiting, so the catalog counter shows; an
// idle transaction names the statement it ran last, so where its app is between two statements shows.
import pg from "pg";

export type TActivity = { samples: number; mean: { state: string; backends: number }[] };

/** Samples until the returned function is called, which answers the mean number of backends in each state. */
export async function sampleActivity(databaseUrl: string, everyMs = 20): Promise<() => Promise<TActivity>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on("error", () => undefined);
  await client.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null; query: string }>(
        `SELECT state, wait_event_type, wait_event, left(query, 200) AS query FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid()`,
      );
      samples += 1;
      for (const row of rows) {
        const key = stateOf(row);
        if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })().catch(() => undefined);
  return async () => {
    running = false;
    await loop;
    await client.end().catch(() => undefined);
    const mean = [...counts]
      .map(([state, n]) => ({ state, backends: n / Math.max(1, samples) }))
      .filter(({ backends }) => backends >= 0.01)
      .sort((a, b) => b.backends - a.backends);
    return { samples, mean };
  };
}

function stateOf({
  state,
  wait_event_type: type,
  wait_event: event,
  query,
}: {
  state: string | null;
  wait_event_type: string | null;
  wait_event: string | null;
  query: string;
}) {
  if (state === "idle" || state === null) return null;
  if (state === "idle in transaction") return `idle in transaction after ${statementOf(query)}`;
  if (state !== "active") return state;
  if (!type) return "running";
  if (type === "Lock") return `waiting on a lock (${event}) in ${statementOf(query)}`;
  return `waiting (${type}: ${event})`;
}

/** A statement as its verb and first table: `UPDATE "Instance"`, the catalog counter's by name. */
function statementOf(query: string): string {
  if (/"Counter"/.test(query)) return "the catalog counter's UPDATE";
  const verb = /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? "?";
  const table = /(?:FROM|INTO|UPDATE|JOIN)\s+(?:"public"\.)?"(\w+)"/i.exec(query)?.[1];
  return table ? `${verb} "${table}"` : verb;
}

export function activityLine({ samples, mean }: TActivity): string {
  if (samples === 0) return "no samples";
  return `${mean.map(({ state, backends }) => `${state} ${backends.toFixed(2)}`).join(", ")} (mean backends of ${samples} samples)`;
}
