// What one client gets of an item: the current version, or the gray version when a gray release reaches it.
import { opaqueTag } from "@/lib/crypto/secret-box";
import type { TClientIdentity, TConfigFormat } from "../schemas";

export type TStateVersion = { version: number; content: string; sha256: string };

/** An item as watchers see it, cached by the notifier; `exists` is false for one never published or deleted. */
export type TConfigState = {
  namespace: string;
  group: string;
  key: string;
  exists: boolean;
  format: TConfigFormat;
  secret: boolean;
  seq: number;
  current: TStateVersion | null;
  gray: (TStateVersion & { instanceIds: string[]; tags: string[] }) | null;
};

export const stateKey = ({ namespace, group, key }: { namespace: string; group: string; key: string }) => `${namespace}\u0000${group}\u0000${key}`;

/** A gray release reaches an instance named in it, or one carrying one of its tags. */
export function grayReaches(gray: { instanceIds: string[]; tags: string[] }, who: TClientIdentity): boolean {
  if (who.instance && gray.instanceIds.includes(who.instance)) return true;
  return who.tags.some((tag) => gray.tags.includes(tag));
}

export type TResolved = { version: number; content: string | null; sha256: string | null; gray: boolean };

/** Version 0 with no content: the item does not exist (yet, or any more) for this client. */
export function resolveForClient(state: TConfigState, who: TClientIdentity): TResolved {
  if (!state.exists) return { version: 0, content: null, sha256: null, gray: false };
  if (state.gray && grayReaches(state.gray, who)) return { version: state.gray.version, content: state.gray.content, sha256: state.gray.sha256, gray: true };
  if (!state.current) return { version: 0, content: null, sha256: null, gray: false };
  return { version: state.current.version, content: state.current.content, sha256: state.current.sha256, gray: false };
}

/**
 * A strong ETag for one version of one item: opaque (a keyed hash of the item, the version and its stored digest),
 * so equal secret content in two items never shows as equal tags, and a guess of the content cannot be checked
 * against it. It changes only with the version (or the encryption key).
 */
export function etagOf(ref: { namespace: string; group: string; key: string }, resolved: { version: number; sha256: string | null }): string {
  return `"${resolved.version}-${opaqueTag([ref.namespace, ref.group, ref.key, resolved.version, resolved.sha256 ?? ""])}"`;
}

/** What a client is answered with, by the item read and the watch alike. */
export function clientView(state: TConfigState, resolved: TResolved) {
  return {
    namespace: state.namespace,
    group: state.group,
    key: state.key,
    format: state.format,
    version: resolved.version,
    content: resolved.content,
    gray: resolved.gray,
    etag: etagOf(state, resolved),
  };
}
export type TClientItem = ReturnType<typeof clientView>;
