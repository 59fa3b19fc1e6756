import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { encodeAuditValue } from "@/lib/db/codecs";
import { actorRecord, type TActor } from "@/lib/auth/actor";

export type TAuditInput = {
  actor: TActor;
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
  reason?: string;
  /** The service the change concerns: its charts and timeline show it. */
  service?: string;
};

// Called inside the transaction that makes the change, so a change never lands without its record.
export async function recordAudit(tx: Tx, input: TAuditInput) {
  await tx.auditEvent.create({ data: auditRow(input) });
}

// One record's columns as stored, for one insert or many.
function auditRow({ actor, action, target, before, after, reason, service }: TAuditInput) {
  return {
    ...actorRecord(actor),
    action,
    target,
    before: encodeAuditValue(before),
    after: encodeAuditValue(after),
    reason: reason ?? null,
    service: service ?? null,
  };
}

/** Many records at once (a change to thousands of instances), in the same transaction as the change: a few statements. */
export async function recordAudits(tx: Tx, inputs: TAuditInput[]) {
  const at = new Date();
  await insertRows(tx, {
    table: "AuditEvent",
    rows: inputs.map((input) => ({ id: randomUUID(), at, ...auditRow(input) })),
  });
}
