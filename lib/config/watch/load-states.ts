import "server-only";
import { db, type Prisma } from "@/lib/db";
import { stateKey, type TConfigState } from "./resolve";
import type { TConfigRef } from "../schemas";

/** Items as watchers see them (current and gray versions with content): two queries for any number of items. */
export async function loadConfigStates(where: Prisma.ConfigItemWhereInput): Promise<TConfigState[]> {
  const items = await db.configItem.findMany({
    where,
    select: {
      id: true,
      namespace: true,
      group: true,
      key: true,
      format: true,
      secret: true,
      version: true,
      seq: true,
      deletedAt: true,
      grays: { where: { state: "active" }, select: { version: true, instanceIds: true, tags: true }, take: 1 },
    },
  });
  const wanted = items.flatMap((item) => [
    ...(item.version > 0 ? [{ itemId: item.id, version: item.version }] : []),
    ...item.grays.map((gray) => ({ itemId: item.id, version: gray.version })),
  ]);
  const versions = wanted.length
    ? await db.configVersion.findMany({ where: { OR: wanted }, select: { itemId: true, version: true, content: true, sha256: true } })
    : [];
  const byVersion = new Map(versions.map((row) => [`${row.itemId}/${row.version}`, row]));
  return items.map((item) => {
    const current = byVersion.get(`${item.id}/${item.version}`);
    const [gray] = item.grays;
    const grayVersion = gray && byVersion.get(`${item.id}/${gray.version}`);
    return {
      namespace: item.namespace,
      group: item.group,
      key: item.key,
      exists: !item.deletedAt && item.version > 0,
      format: item.format,
      secret: item.secret,
      seq: item.seq,
      current: current ? { version: current.version, content: current.content, sha256: current.sha256 } : null,
      gray:
        gray && grayVersion
          ? { version: gray.version, content: grayVersion.content, sha256: grayVersion.sha256, instanceIds: gray.instanceIds, tags: gray.tags }
          : null,
    };
  });
}

/** The states of these items, one per ref in order; an item never published is there with exists false. */
export async function loadStatesOf(refs: TConfigRef[]): Promise<TConfigState[]> {
  if (refs.length === 0) return [];
  const found = new Map(
    (await loadConfigStates({ OR: refs.map(({ namespace, group, key }) => ({ namespace, group, key })) })).map((state) => [stateKey(state), state]),
  );
  return refs.map((ref) => found.get(stateKey(ref)) ?? { ...ref, exists: false, format: "text", secret: false, seq: 0, current: null, gray: null });
}
