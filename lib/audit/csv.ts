// CSV for the audit export: RFC 4180 quoting, and no cell a spreadsheet would run as a formula. Pure.

export const auditCsvColumns = ["at", "actor_type", "actor", "action", "service", "target", "reason", "before", "after"] as const;

// Spreadsheets evaluate a cell starting with one of these (OWASP "CSV injection"); a leading ' makes it text.
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

/** One field: null is empty; a would-be formula is prefixed with '; a comma, quote or line break is quoted. */
export function encodeCsvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ended by CRLF as RFC 4180 has it. */
export function encodeCsvRow(fields: readonly (string | null | undefined)[]): string {
  return `${fields.map(encodeCsvField).join(",")}\r\n`;
}

export type TAuditCsvRecord = {
  at: Date;
  actorType: string;
  actorName: string;
  action: string;
  service: string | null;
  target: string;
  reason: string | null;
  before: string | null;
  after: string | null;
};

/** An audit event as a CSV record in the order of `auditCsvColumns`; before and after as the JSON stored. */
export function encodeAuditCsvRow(event: TAuditCsvRecord): string {
  return encodeCsvRow([
    event.at.toISOString(),
    event.actorType,
    event.actorName,
    event.action,
    event.service,
    event.target,
    event.reason,
    event.before,
    event.after,
  ]);
}

export const auditCsvHeader = encodeCsvRow(auditCsvColumns);

/** The last record of an export cut short: a note in the first column, the others empty, so every record has the same fields. */
export function encodeTruncationRow({ written, total }: { written: number; total: number }): string {
  const note = `# truncated: the newest ${written} of ${total} matching events; narrow the time range for the rest`;
  return encodeCsvRow([note, ...auditCsvColumns.slice(1).map(() => "")]);
}
