import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { recordAudit } from "@/lib/audit/record-audit";
import { db } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { configNotifier } from "../watch/notifier";
import { bumpConfigSeq } from "../watch/sequence";
import { countOf } from "@/lib/plural";

export async function listNamespaces() {
  const [namespaces, counts] = await Promise.all([
    db.configNamespace.findMany({ orderBy: { createdAt: "asc" }, select: { name: true, description: true, createdAt: true } }),
    db.configItem.groupBy({ by: ["namespace"], where: { deletedAt: null, version: { gt: 0 } }, _count: { _all: true } }),
  ]);
  const itemsOf = new Map(counts.map((row) => [row.namespace, row._count._all]));
  return namespaces.map((row) => ({ name: row.name, description: row.description, createdAt: row.createdAt.toISOString(), items: itemsOf.get(row.name) ?? 0 }));
}

export async function createNamespace({ actor, name, description }: { actor: TActor; name: string; description: string }) {
  await transaction(async (tx) => {
    await bumpConfigSeq(tx);
    if (await tx.configNamespace.findUnique({ where: { name } })) throw new AppError("conflict", `namespace '${name}' exists`, "name");
    await tx.configNamespace.create({ data: { name, description } });
    await recordAudit(tx, { actor, action: "config.namespace-create", target: `config/${name}`, after: { name, description } });
  });
  configNotifier.announce();
}

/** Only an empty namespace goes: items are deleted one by one, each with its own audit event. */
export async function deleteNamespace({ actor, name }: { actor: TActor; name: string }) {
  await transaction(async (tx) => {
    await bumpConfigSeq(tx);
    const namespace = await tx.configNamespace.findUnique({ where: { name } });
    if (!namespace) throw new AppError("not_found", `namespace '${name}' does not exist`, "name");
    const live = await tx.configItem.count({ where: { namespace: name, deletedAt: null, version: { gt: 0 } } });
    if (live > 0) throw new AppError("conflict", `namespace '${name}' holds ${countOf(live, "item")}: delete them first`, "name");
    await tx.configItem.deleteMany({ where: { namespace: name } });
    await tx.configNamespace.delete({ where: { name } });
    await recordAudit(tx, {
      actor,
      action: "config.namespace-delete",
      target: `config/${name}`,
      before: { name: namespace.name, description: namespace.description },
    });
  });
  configNotifier.announce();
}
