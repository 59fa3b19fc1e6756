// An audit event's before and after in a line or a few (`weight 100 → 0`), for the audit page. Pure.

/** One changed key (or the whole value when key is null); a side is absent when the key was not there. */
export type TChangeLine = { key: string | null; before?: string; after?: string };

const maxValueLength = 80;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatAuditValue(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > maxValueLength ? `${text.slice(0, maxValueLength - 1)}…` : text;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed: for two objects, each key whose value differs; for a creation (no before) or a
 * removal (no after) of an object, each of its keys; otherwise the two values whole.
 */
export function describeChange({ before, after }: { before: unknown; after: unknown }): TChangeLine[] {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((key) => !same(before[key], after[key]))
      .map((key) => ({
        key,
        ...(key in before ? { before: formatAuditValue(before[key]) } : {}),
        ...(key in after ? { after: formatAuditValue(after[key]) } : {}),
      }));
  }
  if (!hasBefore && isRecord(after)) return Object.entries(after).map(([key, value]) => ({ key, after: formatAuditValue(value) }));
  if (!hasAfter && isRecord(before)) return Object.entries(before).map(([key, value]) => ({ key, before: formatAuditValue(value) }));
  if (hasBefore && hasAfter && same(before, after)) return [];
  return [{ key: null, ...(hasBefore ? { before: formatAuditValue(before) } : {}), ...(hasAfter ? { after: formatAuditValue(after) } : {}) }];
}
