import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { pageSize } from "@/lib/pagination/cursor";
import { pageOf, skipTake, type TNumberedPage } from "@/lib/pagination/numbered";
import { containing } from "@/lib/registry/instance-where";
import { maskFor } from "./access";
import { refName, refWhere } from "./publish/item-change";
import { LISTENER_LIVE_MS } from "./watch/listener-book";
import { grayReaches } from "./watch/resolve";
import type { TConfigRef } from "./schemas";

/**
 * A page of a namespace's items for the config page: format, version, last author and time; `q` matches group or key.
 * Filtered, counted and paged in SQL: a namespace holding an item per service is still one page of statements and rows.
 */
export async function listConfigItems({ namespace, q, page = 1, limit = pageSize }: { namespace: string; q?: string } & Partial<TNumberedPage>) {
  if (!(await db.configNamespace.findUnique({ where: { name: namespace } })))
    throw new AppError("not_found", `namespace '${namespace}' does not exist`, "namespace");
  const needle = q?.trim();
  const where = {
    namespace,
    deletedAt: null,
    version: { gt: 0 },
    ...(needle ? { OR: [{ group: containing(needle) }, { key: containing(needle) }] } : {}),
  };
  const [total, shown] = await Promise.all([
    db.configItem.count({ where }),
    db.configItem.findMany({
      where,
      orderBy: [{ group: "asc" }, { key: "asc" }],
      ...skipTake({ page, limit }),
      select: {
        id: true,
        group: true,
        key: true,
        format: true,
        secret: true,
        version: true,
        latest: true,
        updatedAt: true,
        grays: { where: { state: "active" }, select: { version: true }, take: 1 },
      },
    }),
  ]);
  // Two parameters an item, a page of at most 200: within SQLite's 999.
  const versions = shown.length
    ? await db.configVersion.findMany({
        where: { OR: shown.map((item) => ({ itemId: item.id, version: item.latest })) },
        select: { itemId: true, author: true, createdAt: true, message: true },
      })
    : [];
  const lastOf = new Map(versions.map((row) => [row.itemId, row]));
  const items = shown.map((item) => ({
    namespace,
    group: item.group,
    key: item.key,
    format: item.format,
    secret: item.secret,
    version: item.version,
    grayVersion: item.grays[0]?.version ?? null,
    lastAuthor: lastOf.get(item.id)?.author ?? "",
    lastMessage: lastOf.get(item.id)?.message ?? "",
    lastAt: (lastOf.get(item.id)?.createdAt ?? item.updatedAt).toISOString(),
  }));
  return { items, ...pageOf(total, { page, limit }) };
}
export type TConfigListPage = Awaited<ReturnType<typeof listConfigItems>>;
export type TConfigListItem = TConfigListPage["items"][number];

/** One item for its page: current content (masked when secret, for non-admins), history, gray release and listeners; null when it does not exist. */
export async function getConfigItemDetail({ actor, ref }: { actor: TActor; ref: TConfigRef }) {
  if (!(await db.configNamespace.findUnique({ where: { name: ref.namespace } })))
    throw new AppError("not_found", `namespace '${ref.namespace}' does not exist`, "namespace");
  const item = await db.configItem.findUnique({
    where: refWhere(ref),
    include: {
      versions: {
        orderBy: { version: "desc" },
        select: { version: true, author: true, message: true, kind: true, fromVersion: true, createdAt: true },
      },
      grays: { orderBy: { startedAt: "desc" }, take: 10 },
    },
  });
  if (!item) return null;
  const live = !item.deletedAt && item.version > 0;
  const wanted = [item.version, ...item.grays.filter((gray) => gray.state === "active").map((gray) => gray.version)].filter((version) => version > 0);
  const contents = new Map(
    (await db.configVersion.findMany({ where: { itemId: item.id, version: { in: wanted } }, select: { version: true, content: true } })).map((row) => [
      row.version,
      row.content,
    ]),
  );
  const active = item.grays.find((gray) => gray.state === "active");
  const listeners = await listListeners({
    ref,
    current: item.version,
    gray: active ? { version: active.version, instanceIds: active.instanceIds, tags: active.tags } : null,
  });
  return {
    ...ref,
    format: item.format,
    secret: item.secret,
    deleted: !live,
    version: live ? item.version : 0,
    content: live ? maskFor(actor, item.secret, contents.get(item.version) ?? "") : "",
    masked: item.secret && maskFor(actor, true, "x") !== "x",
    history: item.versions.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
    gray: active
      ? {
          version: active.version,
          instanceIds: active.instanceIds,
          tags: active.tags,
          startedBy: active.startedBy,
          startedAt: active.startedAt.toISOString(),
          content: maskFor(actor, item.secret, contents.get(active.version) ?? ""),
        }
      : null,
    grayHistory: item.grays
      .filter((gray) => gray.state !== "active")
      .map((gray) => ({
        version: gray.version,
        state: gray.state,
        startedBy: gray.startedBy,
        endedBy: gray.endedBy,
        endedAt: gray.endedAt?.toISOString() ?? null,
      })),
    listeners,
  };
}
export type TConfigItemDetail = NonNullable<Awaited<ReturnType<typeof getConfigItemDetail>>>;

/** Instances watching the item now, the version each holds and the one it should hold (gray or current). */
async function listListeners({
  ref,
  current,
  gray,
}: {
  ref: TConfigRef;
  current: number;
  gray: { version: number; instanceIds: string[]; tags: string[] } | null;
}) {
  const rows = await db.configListener.findMany({
    where: { ...ref, lastSeenAt: { gte: new Date(Date.now() - LISTENER_LIVE_MS) } },
    orderBy: { instanceId: "asc" },
  });
  const tagsOf = new Map(
    (await db.instance.findMany({ where: { instanceId: { in: rows.map((row) => row.instanceId) } }, select: { instanceId: true, tags: true } })).map((row) => [
      row.instanceId,
      row.tags,
    ]),
  );
  return rows.map((row) => {
    const inGray = gray ? grayReaches(gray, { instance: row.instanceId, tags: tagsOf.get(row.instanceId) ?? [] }) : false;
    const expected = inGray && gray ? gray.version : current;
    return { instanceId: row.instanceId, address: row.address, version: row.version, expected, inGray, lastSeenAt: row.lastSeenAt.toISOString() };
  });
}

/** The content of two versions, for a diff between any two (masked when secret, for non-admins). */
export async function getVersionPair({ actor, ref, from, to }: { actor: TActor; ref: TConfigRef; from: number; to: number }) {
  const item = await db.configItem.findUnique({ where: refWhere(ref), select: { id: true, secret: true } });
  if (!item) throw new AppError("not_found", `${refName(ref)} does not exist`, "key");
  const rows = await db.configVersion.findMany({
    where: { itemId: item.id, version: { in: [from, to] } },
    select: { version: true, content: true, format: true },
  });
  const pick = (version: number, field: string) => {
    const row = rows.find((candidate) => candidate.version === version);
    if (!row) throw new AppError("not_found", `${refName(ref)} has no version ${version}`, field);
    return { version, format: row.format, content: maskFor(actor, item.secret, row.content) };
  };
  return { from: pick(from, "from"), to: pick(to, "to"), masked: item.secret && maskFor(actor, true, "x") !== "x" };
}
