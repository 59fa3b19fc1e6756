import "server-only";
import { db } from "@/lib/db";
import { chunked } from "@/lib/db/bulk";
import { log } from "@/lib/log";
import { stepSize } from "./apply-source-change";
import { kratosWeightOf } from "./etcd/write-override";
import type { ISourceAdapter, TSourceChange } from "./types";

// Long enough for a governance change whose write-through this put echoes to have committed its override.
const settleMs = 3000;

/**
 * Kratos re-puts its own registration when it gets a new lease, dropping the weight Meshdeck wrote there while the
 * catalog still holds the override. Registrations whose metadata `weight` is not the override's are written again,
 * once the override in the database has settled, and only if the registration still lacks Meshdeck's mark.
 */
export function reapplyRewrittenOverrides({ source, adapter, change }: { source: string; adapter: ISourceAdapter; change: TSourceChange }) {
  const instances = change.kind === "snapshot" ? change.instances : change.upserted;
  if (instances.length === 0) return;
  setTimeout(() => {
    void reapply({ source, adapter, instances }).catch((error: unknown) => log.warn(`source ${source}: could not write an override again`, error));
  }, settleMs).unref();
}

async function reapply({
  source,
  adapter,
  instances,
}: {
  source: string;
  adapter: ISourceAdapter;
  instances: Extract<TSourceChange, { kind: "changes" }>["upserted"];
}) {
  for (const part of chunked(instances, stepSize)) {
    const overrides = await db.instanceOverride.findMany({
      where: { source, instanceId: { in: part.map((instance) => instance.instanceId) }, OR: [{ weight: { not: null } }, { enabled: false }] },
      select: { instanceId: true, service: true, weight: true, enabled: true },
    });
    const byId = new Map(part.map((instance) => [instance.instanceId, instance]));
    for (const override of overrides) {
      const instance = byId.get(override.instanceId);
      const wanted = kratosWeightOf(override);
      if (!instance || instance.service !== override.service || wanted === null || instance.metadata.weight === String(wanted)) continue;
      log.info(`source ${source}: ${instance.instanceId} was registered again without its override; writing weight ${wanted} back`);
      await adapter.writeOverride({ instance, override: { weight: override.weight, enabled: override.enabled }, onlyIfRewritten: true });
    }
  }
}
