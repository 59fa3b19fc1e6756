import "server-only";
import { transaction } from "@/lib/db/transaction";
import { behaviours } from "@/demo/services";
import { openItemChange } from "./item-change";
import { configNotifier } from "../watch/notifier";
import { writeVersion } from "./publish";

export const DEMO_CONFIG = { namespace: "dev", key: "behaviour" } as const;
const system = { type: "system", name: "meshdeck" } as const;

/** Version 1 of each demo service's `dev/<service>/behaviour` (added latency and error rate), when it is not there yet. */
export async function seedDemoConfig() {
  let seeded = 0;
  for (const group of Object.keys(behaviours)) {
    const ref = { namespace: DEMO_CONFIG.namespace, group, key: DEMO_CONFIG.key };
    await transaction(async (tx) => {
      const opened = await openItemChange(tx, { actor: system, ref });
      // Seeded once: an item an operator deleted stays deleted.
      if (opened.item) return;
      const content = `${JSON.stringify({ latencyMs: 0, errorRate: 0 }, null, 2)}\n`;
      await writeVersion(tx, {
        actor: system,
        ref,
        opened,
        format: "json",
        content,
        message: "demo defaults: no added latency, no added errors",
        kind: "publish",
      });
      seeded += 1;
    });
  }
  if (seeded) configNotifier.announce();
  return seeded;
}
