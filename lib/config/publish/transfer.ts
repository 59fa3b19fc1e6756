import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { transaction } from "@/lib/db/transaction";
import { AppError } from "@/lib/errors";
import { isNestedDeeperThan, MAX_JSON_DEPTH } from "@/lib/json-depth";
import { plainTextCheck } from "@/lib/plain-text";
import { canReadSecrets, managesSecrets } from "../access";
import { diffLines, diffStats } from "../formats/diff";
import { checkContent, openItemChange, refName, refuseDuringGray } from "./item-change";
import { loadConfigStates } from "../watch/load-states";
import { configNotifier } from "../watch/notifier";
import { writeVersion } from "./publish";
import { ZConfigFormat, ZConfigKey, ZContent, ZGroupName, ZMessage, ZNamespaceName } from "../schemas";

// The export file: every live item of a namespace, current versions, as JSON (one file, no archive to unpack).
export const ZConfigExport = z.strictObject({
  meshdeck: z.literal("config-export", { error: 'must be "config-export": this is not a Meshdeck config export' }),
  formatVersion: z.literal(1, { error: "must be 1" }),
  namespace: ZNamespaceName,
  exportedAt: z.string().max(64).check(plainTextCheck()).optional(),
  // Secret items the exporter could not read: named, not carried.
  withheld: z.array(z.string().max(600).check(plainTextCheck())).max(5000).optional(),
  items: z
    .array(
      z.strictObject({
        group: ZGroupName,
        key: ZConfigKey,
        format: ZConfigFormat,
        content: ZContent,
        secret: z.boolean().default(false),
        version: z.number().int().optional(),
      }),
    )
    .max(5000, "must hold at most 5000 items"),
});
export type TConfigExport = z.infer<typeof ZConfigExport>;

/** The namespace's live items; secret ones only for those who may read them, the others listed as withheld. */
export async function exportNamespace({ actor, namespace }: { actor: TActor; namespace: string }) {
  if (!(await db.configNamespace.findUnique({ where: { name: namespace } })))
    throw new AppError("not_found", `namespace '${namespace}' does not exist`, "namespace");
  const states = await loadConfigStates({ namespace, deletedAt: null, version: { gt: 0 } });
  const readable = states.filter((state) => !state.secret || canReadSecrets(actor));
  const file: TConfigExport = {
    meshdeck: "config-export",
    formatVersion: 1,
    namespace,
    exportedAt: new Date().toISOString(),
    items: readable
      .filter((state) => state.current)
      .sort((a, b) => a.group.localeCompare(b.group) || a.key.localeCompare(b.key))
      .map((state) => ({
        group: state.group,
        key: state.key,
        format: state.format,
        content: state.current!.content,
        secret: state.secret,
        version: state.current!.version,
      })),
    withheld: states.filter((state) => !readable.includes(state)).map((state) => `${state.group}/${state.key}`),
  };
  return file;
}

/** Parses an uploaded export: malformed JSON is a 400, a wrong shape a 422 naming the field, invalid content a 422 naming the item. */
export function parseImportFile(text: string): TConfigExport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `the file is not valid JSON: ${(error as Error).message}`, "file");
  }
  return parseImportValue(raw);
}

/** The same for a file already parsed (an API body): too deep a nesting, a wrong shape or invalid content is a 422. */
export function parseImportValue(raw: unknown): TConfigExport {
  if (isNestedDeeperThan(raw)) throw new AppError("validation_failed", `the file is nested more than ${MAX_JSON_DEPTH} levels deep`, "file");
  const file = ZConfigExport.parse(raw);
  const seen = new Set<string>();
  for (const [index, item] of file.items.entries()) {
    const id = `${item.group}/${item.key}`;
    if (seen.has(id)) throw new AppError("validation_failed", `items.${index}: ${id} appears twice`, `items.${index}`);
    seen.add(id);
    try {
      checkContent(item);
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, `items.${index} (${id}): ${error.message}`, `items.${index}.content`);
      throw error;
    }
  }
  return file;
}

export type TImportChange = {
  group: string;
  key: string;
  change: "new" | "changed" | "unchanged";
  format: string;
  fromVersion: number;
  added: number;
  removed: number;
  secret: boolean;
};

/** What an import would do to the namespace: new, changed (with line counts) and unchanged items; others are left alone. */
export async function previewImport({ actor, namespace, file }: { actor: TActor; namespace: string; file: TConfigExport }): Promise<TImportChange[]> {
  if (!(await db.configNamespace.findUnique({ where: { name: namespace } })))
    throw new AppError("not_found", `namespace '${namespace}' does not exist`, "namespace");
  const states = new Map(
    (await loadConfigStates({ namespace, group: { in: [...new Set(file.items.map((item) => item.group))] } })).map((state) => [
      `${state.group}/${state.key}`,
      state,
    ]),
  );
  return file.items.map((item, index) => {
    const state = states.get(`${item.group}/${item.key}`);
    const secret = item.secret || Boolean(state?.secret);
    if (secret && !managesSecrets(actor))
      throw new AppError("forbidden", `items.${index} (${item.group}/${item.key}) is secret: only an admin can import it`, `items.${index}.secret`);
    const current = state?.exists ? state.current : null;
    if (!current)
      return {
        group: item.group,
        key: item.key,
        change: "new",
        format: item.format,
        fromVersion: 0,
        added: diffStats(diffLines("", item.content)).added,
        removed: 0,
        secret,
      };
    const same = current.content === item.content && state!.format === item.format && state!.secret === item.secret;
    const stats = diffStats(diffLines(current.content, item.content));
    return { group: item.group, key: item.key, change: same ? "unchanged" : "changed", format: item.format, fromVersion: current.version, ...stats, secret };
  });
}

/** Publishes every new or changed item of the file in one transaction: all of them, or (on any refusal) none. */
export async function applyImport({ actor, namespace, file, message }: { actor: TActor; namespace: string; file: TConfigExport; message: string }) {
  const plan = await previewImport({ actor, namespace, file });
  const todo = file.items.filter((_, index) => plan[index]!.change !== "unchanged");
  const written = await transaction(async (tx) => {
    const versions = [];
    for (const item of todo) {
      const ref = { namespace, group: item.group, key: item.key };
      const opened = await openItemChange(tx, { actor, ref });
      refuseDuringGray(opened.gray, ref);
      const result = await writeVersion(tx, { actor, ref, opened, format: item.format, content: item.content, message, kind: "import", secret: item.secret });
      versions.push({ item: refName(ref), version: result.version });
    }
    return versions;
  });
  if (written.length) configNotifier.announce();
  return { changes: plan, written };
}

export const ZImportQuery = z.strictObject({ namespace: ZNamespaceName, dryRun: z.enum(["true", "false", "1", "0"]).optional(), message: ZMessage.optional() });
