import "server-only";
import type { Tx } from "@/lib/db";
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
export async function recordAudit(tx: Tx, { actor, action, target, before, after, reason, service }: TAuditInput) {
  await tx.auditEvent.create({
    data: {
      ...actorRecord(actor),
      action,
      target,
      before: encodeAuditValue(before),
      after: encodeAuditValue(after),
      reason: reason ?? null,
      service: service ?? null,
    },
  });
}

/** Many records at once (a change to thousands of instances), in the same transaction as the change. */
export async function recordAudits(tx: Tx, inputs: TAuditInput[]) {
  if (inputs.length === 0) return;
  await tx.auditEvent.createMany({
    data: inputs.map(({ actor, action, target, before, after, reason, service }) => ({
      ...actorRecord(actor),
      action,
      target,
      before: encodeAuditValue(before),
      after: encodeAuditValue(after),
      reason: reason ?? null,
      service: service ?? null,
    })),
  });
}
