import { modelRelations } from "@/lib/db/codecs";
import { openSecret, sealSecret, type TKeyRing } from "./secret-box";

// The columns that hold secrets at rest, sealed on write (sealColumns) and opened in every read by lib/db's query
// extension, before the codecs decode them: Source.tls is JSON once opened.
export const sealedColumns: Record<string, readonly string[]> = {
  Source: ["password", "tls"],
  Webhook: ["url"],
  // Only the versions of secret items are sealed; others are stored as they are and open as they are.
  ConfigVersion: ["content"],
};

// Models whose rows hold sealed columns, themselves or in relations a read may include.
const reaching = new Set(["Source", "Webhook", "WebhookDelivery", "ConfigVersion", "ConfigItem"]);

type TRow = Record<string, unknown>;

function openRow(model: string, row: unknown, ring?: TKeyRing): unknown {
  if (typeof row !== "object" || row === null || row instanceof Date) return row;
  const stored = row as TRow;
  let opened: TRow | null = null;
  for (const field of sealedColumns[model] ?? []) {
    const value = stored[field];
    if (typeof value === "string" && value.startsWith("enc:")) (opened ??= { ...stored })[field] = openSecret(value, ring);
  }
  for (const [field, related] of Object.entries(modelRelations[model] ?? {})) {
    if (field in stored && reaching.has(related)) (opened ??= { ...stored })[field] = openSealed(related, stored[field], ring);
  }
  return opened ?? row;
}

/** A query's result with every sealed column opened, in nested rows too; rows without one are handed back as they are. */
export function openSealed<T>(model: string, result: T, ring?: TKeyRing): T {
  if (!reaching.has(model)) return result;
  return (Array.isArray(result) ? result.map((row: unknown) => openRow(model, row, ring)) : openRow(model, result, ring)) as T;
}

/** A secret value as it is written: sealed, or null kept null. */
export function sealColumn<T extends string | null | undefined>(value: T, ring?: TKeyRing): T {
  return (typeof value === "string" ? sealSecret(value, ring) : value) as T;
}
