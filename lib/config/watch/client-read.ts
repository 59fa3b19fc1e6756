import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { assertPermission, type TPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { canReadSecrets } from "../access";
import { refName } from "../publish/item-change";
import { listenerBook } from "./listener-book";
import { loadConfigStates, loadStatesOf } from "./load-states";
import { configNotifier } from "./notifier";
import { clientView, resolveForClient, type TClientItem, type TConfigState } from "./resolve";
import type { TClientIdentity, TConfigRef, TWatchConfig } from "../schemas";

/** The namespace exists and the actor's config.read reaches it (a token's may be narrowed to some namespaces). */
export async function assertNamespace(actor: TActor, namespace: string, field = "namespace") {
  assertPermission({ actor, permission: watchPermission, namespace });
  if (!(await configNotifier.hasNamespace(namespace))) throw new AppError("not_found", `namespace '${namespace}' does not exist`, field);
}

function assertReadable(actor: TActor, state: TConfigState, field = "key") {
  if (state.secret && !canReadSecrets(actor))
    throw new AppError("forbidden", `${refName(state)} is secret: this token may not read secrets (an admin can allow it)`, field);
}

/** One item as this client gets it (its gray version when a gray release reaches it), fresh from the database. */
export async function getClientItem({ actor, ref, who }: { actor: TActor; ref: TConfigRef; who: TClientIdentity }): Promise<TClientItem> {
  await assertNamespace(actor, ref.namespace);
  const [state] = await loadStatesOf([ref]);
  if (!state?.exists) throw new AppError("not_found", `${refName(ref)} does not exist`, "key");
  assertReadable(actor, state);
  return clientView(state, resolveForClient(state, who));
}

/** Every item of a namespace and group; secret ones this client may not read are listed with no content. */
export async function listClientItems({ actor, namespace, group, who }: { actor: TActor; namespace: string; group: string; who: TClientIdentity }) {
  await assertNamespace(actor, namespace);
  const states = (await loadConfigStates({ namespace, group, deletedAt: null, version: { gt: 0 } })).sort((a, b) => a.key.localeCompare(b.key));
  return states.map((state) => {
    const view = clientView(state, resolveForClient(state, who));
    return state.secret && !canReadSecrets(actor) ? { ...view, content: null, withheld: true } : view;
  });
}

// The app route and the watch answered beside Next (watch-beside-next.ts) both check this one.
export const watchPermission = "config.read" satisfies TPermission;

/**
 * The long poll: answers at once with the items whose version for this instance differs from the one it holds (or whose
 * gray mark does, when the client says which it holds), or waits until one does (a publish, a rollback, a gray release
 * reaching it or ending) or the timeout passes (then `[]`).
 */
export async function watchConfig({ actor, input, signal }: { actor: TActor; input: TWatchConfig; signal?: AbortSignal }): Promise<TClientItem[]> {
  for (const [index, item] of input.items.entries()) await assertNamespace(actor, item.namespace, `items.${index}.namespace`);
  const who = { instance: input.instance, tags: input.tags };
  const release = listenerBook.hold({ instanceId: input.instance, address: input.address ?? null, items: input.items });
  try {
    let checked = false;
    return await configNotifier.watch({
      refs: input.items,
      timeoutMs: input.timeout,
      signal,
      evaluate: (read) => {
        const changed: TClientItem[] = [];
        for (const [index, item] of input.items.entries()) {
          const state = read(item);
          // Checked on the first look only: a watch that began allowed is not cut short by an item turning secret.
          if (!checked) assertReadable(actor, state, `items.${index}`);
          const resolved = resolveForClient(state, who);
          if (resolved.version !== item.version || (item.gray !== undefined && resolved.gray !== item.gray))
            changed.push(clientView(state, state.secret && !canReadSecrets(actor) ? { ...resolved, content: null } : resolved));
        }
        checked = true;
        return changed;
      },
    });
  } finally {
    release();
  }
}
