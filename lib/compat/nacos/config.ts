import "server-only";
import { createHash } from "node:crypto";
import type { TActor } from "@/lib/auth/actor";
import { assertPermission } from "@/lib/auth/permissions";
import { canReadSecrets } from "@/lib/config/access";
import { deleteConfig, publishConfig } from "@/lib/config/publish/publish";
import { refName } from "@/lib/config/publish/item-change";
import { ZConfigRef, WATCH_MAX_MS, type TConfigFormat, type TConfigRef } from "@/lib/config/schemas";
import { getClientItem } from "@/lib/config/watch/client-read";
import { loadStatesOf } from "@/lib/config/watch/load-states";
import { configNotifier } from "@/lib/config/watch/notifier";
import { resolveForClient } from "@/lib/config/watch/resolve";
import { contentDigest } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import type { NacosParams } from "./http";
import { changedConfigsAnswer, parseListeningConfigs, type TListenedConfig } from "./listening-configs";
import { defaultGroup, publicNamespace } from "./names";

// Nacos's tenant is a Meshdeck namespace (empty: `public`), its group a group, its dataId a key. Nacos clients carry no
// instance identity, so they read the current version: a gray release reaches Meshdeck's own clients only.
const everyone = { tags: [] };
const message = "published through the Nacos API";
// Nacos answers a held listener this long before the client's own timeout, so the answer is not lost to it.
const answerEarlyMs = 500;

/** The config item a Nacos (tenant, group, dataId) names; a name Meshdeck cannot hold is a 400. */
export function configRef({ tenant, group, dataId }: { tenant?: string; group?: string; dataId: string }): TConfigRef {
  const parsed = ZConfigRef.safeParse({ namespace: tenant || publicNamespace, group: group || defaultGroup, key: dataId });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ({ namespace: "tenant", group: "group", key: "dataId" } as Record<string, string>)[String(issue?.path[0])] ?? "dataId";
    throw new AppError("bad_request", `${field}: ${issue?.message ?? "invalid"}`, field);
  }
  return parsed.data;
}

function refOf(params: NacosParams): TConfigRef {
  return configRef({ tenant: params.get("tenant"), group: params.get("group"), dataId: params.required("dataId") });
}

/** A Nacos `type` as Meshdeck's format: json, yaml, properties; anything else (text, xml, html) is text. */
export function formatOfType(type: string | undefined): TConfigFormat | undefined {
  if (!type) return undefined;
  if (type === "json" || type === "yaml" || type === "properties") return type;
  if (type === "yml") return "yaml";
  return "text";
}

const md5 = (content: string | null) => (content === null ? "" : createHash("md5").update(content, "utf8").digest("hex"));

// GET /nacos/v1/cs/configs - an item's content as text (404 when it does not exist)
export async function getNacosConfig({ actor, params }: { actor: TActor; params: NacosParams }) {
  try {
    const item = await getClientItem({ actor, ref: refOf(params), who: everyone });
    const content = item.content ?? "";
    return { content, headers: { "config-type": item.format, "content-md5": md5(content) } };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") throw new AppError("not_found", "config data not exist");
    throw error;
  }
}

async function currentOf(ref: TConfigRef) {
  const [state] = await loadStatesOf([ref]);
  return state?.exists && state.current ? { version: state.current.version, sha256: state.current.sha256, format: state.format } : null;
}

// POST /nacos/v1/cs/configs - publish content as the next version (audited as any publish); the same content again changes nothing
export async function publishNacosConfig({ actor, params }: { actor: TActor; params: NacosParams }): Promise<string> {
  const ref = refOf(params);
  const content = params.get("content", { multiline: true });
  if (!content) throw new AppError("bad_request", "content: is required", "content");
  const current = await currentOf(ref);
  const format = formatOfType(params.get("type")) ?? current?.format ?? "text";
  if (current && current.sha256 === contentDigest(content) && current.format === format) return "true";
  await publishConfig({ actor, ref, input: { format, content, message, baseVersion: current?.version ?? 0 } });
  return "true";
}

// DELETE /nacos/v1/cs/configs - delete an item (its history stays); one that does not exist is "true", as Nacos answers
export async function deleteNacosConfig({ actor, params }: { actor: TActor; params: NacosParams }): Promise<string> {
  const ref = refOf(params);
  const current = await currentOf(ref);
  if (current) await deleteConfig({ actor, ref, input: { message: "deleted through the Nacos API", baseVersion: current.version } });
  return "true";
}

/** The Long-Pulling-Timeout header in ms (Nacos's 30 s when absent), held at most WATCH_MAX_MS. */
export function listenTimeoutMs(header = "30000"): number {
  const value = Number(header);
  if (!Number.isFinite(value) || value < 0) throw new AppError("bad_request", "Long-Pulling-Timeout: must be milliseconds", "Long-Pulling-Timeout");
  return Math.min(Math.max(value - answerEarlyMs, 0), WATCH_MAX_MS);
}

// POST /nacos/v1/cs/configs/listener - the long poll: the listened configs whose content differs from the md5 the
// client holds, at once, or when a change makes one differ, or nothing after the timeout. It waits on the config
// center's notifier, as Meshdeck's own watch does: no poll of the database per listener.
export async function listenNacosConfigs({
  actor,
  params,
  timeoutHeader,
  noHangUp,
  signal,
}: {
  actor: TActor;
  params: NacosParams;
  timeoutHeader: string | undefined;
  noHangUp: boolean;
  signal: AbortSignal;
}): Promise<string> {
  const listened = parseListeningConfigs(params.get("Listening-Configs", { multiline: true }) ?? "");
  const items: (TListenedConfig & { ref: TConfigRef })[] = listened.map((item) => ({ ...item, ref: configRef(item) }));
  for (const { ref } of items) assertPermission({ actor, permission: "config.read", namespace: ref.namespace });
  let checked = false;
  const changed = await configNotifier.watch({
    refs: items.map(({ ref }) => ref),
    timeoutMs: noHangUp ? 0 : listenTimeoutMs(timeoutHeader),
    signal,
    evaluate: (read) => {
      const found = items.filter(({ ref, md5: held }) => {
        const state = read(ref);
        // Checked on the first look only, as Meshdeck's watch does.
        if (!checked && state.secret && !canReadSecrets(actor)) throw new AppError("forbidden", `${refName(ref)} is secret: this caller may not read it`);
        return md5(resolveForClient(state, everyone).content) !== held;
      });
      checked = true;
      return found;
    },
  });
  return changedConfigsAnswer(changed);
}
