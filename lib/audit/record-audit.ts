import "server-only";
import type { Tx } from "@/lib/db";
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
      before: before === undefined ? null : JSON.stringify(before),
      after: after === undefined ? null : JSON.stringify(after),
      reason: reason ?? null,
      service: service ?? null,
    },
  });
}
