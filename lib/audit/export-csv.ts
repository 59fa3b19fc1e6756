import "server-only";
import { db } from "@/lib/db";
import { encodeAuditValue } from "@/lib/db/codecs";
import { log } from "@/lib/log";
import { newestFirst, olderThan, type TCursor } from "@/lib/pagination/cursor";
import type { TAuditFilters } from "./audit-filters";
import { auditCsvHeader, encodeAuditCsvRow, encodeTruncationRow } from "./csv";
import { auditWhere } from "./queries";

/** At most this many events in one export; a longer log is exported a time range at a time. */
export const auditExportCap = 100_000;

const csvSelect = {
  id: true,
  at: true,
  actorType: true,
  actorName: true,
  action: true,
  service: true,
  target: true,
  reason: true,
  before: true,
  after: true,
} as const;

/**
 * The matching audit events as CSV, newest first, read a batch at a time as the client takes them,
 * so a long log is never held in memory at once. Events written after the export started are left out,
 * so `total` is what the file holds (up to the cap).
 */
export async function exportAuditCsv({
  filters,
  cap = auditExportCap,
  batchSize = 1000,
  now = new Date(),
}: {
  filters: TAuditFilters;
  cap?: number;
  batchSize?: number;
  now?: Date;
}) {
  const to = filters.to && filters.to < now ? filters.to : now;
  const where = auditWhere({ ...filters, to });
  const total = await db.auditEvent.count({ where });
  const encoder = new TextEncoder();
  let cursor: TCursor | undefined;
  let written = 0;
  let started = false;

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(auditCsvHeader));
          return;
        }
        const take = Math.min(batchSize, cap - written);
        const rows =
          take > 0 ? await db.auditEvent.findMany({ where: { AND: [where, olderThan(cursor)] }, orderBy: newestFirst, take, select: csvSelect }) : [];
        if (rows.length) {
          controller.enqueue(
            encoder.encode(rows.map((row) => encodeAuditCsvRow({ ...row, before: encodeAuditValue(row.before), after: encodeAuditValue(row.after) })).join("")),
          );
          written += rows.length;
          const last = rows.at(-1)!;
          cursor = { at: last.at, id: last.id };
        }
        if (rows.length < take || written >= cap) {
          if (written >= cap && total > written) controller.enqueue(encoder.encode(encodeTruncationRow({ written, total })));
          controller.close();
        }
      } catch (error) {
        log.error("audit export failed while streaming", error);
        controller.error(error);
      }
    },
  });
  return { stream, total, rows: Math.min(total, cap), truncated: total > cap };
}
