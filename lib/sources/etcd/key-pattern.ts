// Which keys an etcd source reads: everything under a prefix, or the keys a pattern matches, where `*` is one path
// segment (`/*` is the seed's single `/<service>` keys and nothing deeper). Meshdeck's own keys are never read.

import { meshdeckOverridePrefix } from "./write-override";

export type TKeyPattern = {
  /** What etcd is asked for: the part before the first `*`. */
  range: string;
  /** What the conventions take as the prefix: the range cut back to its last `/` when there is a pattern. */
  prefix: string;
  matches(key: string): boolean;
};

const meshdeckRoot = meshdeckOverridePrefix.slice(0, meshdeckOverridePrefix.indexOf("/", 1) + 1);

export function keyPattern(text: string): TKeyPattern {
  const star = text.indexOf("*");
  if (star < 0) return { range: text, prefix: text, matches: (key) => key.startsWith(text) && !key.startsWith(meshdeckRoot) };
  const range = text.slice(0, star);
  const regex = new RegExp(
    `^${text
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]+")}$`,
  );
  return { range, prefix: range.slice(0, range.lastIndexOf("/") + 1), matches: (key) => regex.test(key) && !key.startsWith(meshdeckRoot) };
}
