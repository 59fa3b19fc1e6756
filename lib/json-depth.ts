// A parsed JSON value's nesting, measured without recursion: JSON.parse takes any depth, but code that walks the
// value recursively (JSON.stringify, validators, the database driver) overflows the stack on a hostile one.

/** The deepest JSON nesting any request body needs; deeper is refused before anything walks it. */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests objects or arrays more than `max` levels deep. */
export function isNestedDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
