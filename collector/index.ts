// The collector as its own process (`npm run collector`), for scaling out: run several against one
// PostgreSQL and they split the checked instances between them; set MESHDECK_COLLECTOR=off in the apps.
import { startCollector } from "@/lib/collector/collector";
import { migrateDatabase } from "@/lib/db/migrate";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { setFlagsFromString } from "node:v8";

async function main() {
  // The old generation grows by at most 30 % past what the last full GC kept (V8 let it grow up to 4x), as
  // scripts/serve.sh starts the app; and Prisma's WebAssembly query compiler stays on V8's baseline tier, whose
  // optimizing tier compiled the module again (idle collector 227 -> 149 MB; it serves no request path).
  setFlagsFromString("--heap-growing-percent=30 --liftoff-only");
  // (`npm run collector` starts node with --max-semi-space-size=2, which cannot be set from here: a young generation
  // of 2 MB, not 16, as a thousand probes a second leave only garbage there; peak RSS at 1,000 checks 215 -> ~185 MB.)
  getEnv();
  // The database may be starting too: wait for it instead of exiting.
  for (let attempt = 1; ; attempt += 1) {
    try {
      await migrateDatabase();
      break;
    } catch (error) {
      log.error(`collector: database not ready (try ${attempt}); retrying`, error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** attempt)));
    }
  }
  const collector = startCollector();
  const stop = async (signal: string) => {
    log.info(`collector ${collector.id}: ${signal}, stopping`);
    await collector.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  log.error("collector failed to start", error);
  process.exit(1);
});
