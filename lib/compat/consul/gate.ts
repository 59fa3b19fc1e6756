import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { assertPermission, type TPermission } from "@/lib/auth/permissions";
import { toAppError } from "@/lib/api/gate";
import { AppError } from "@/lib/errors";
import type { TCompatAnswer, TCompatRequest } from "../listen";

// Consul answers errors as plain text with its status; clients show the text as it is.
const text = "text/plain; charset=utf-8";
const retryAfterS = 1;

export function consulText(status: number, body: string): TCompatAnswer {
  return { status, body: body.endsWith("\n") ? body : `${body}\n`, contentType: text };
}

/** Any failure as Consul tells it: validation 400 (Consul's own status for a bad request), 403, 404, 413, 503 with Retry-After. */
export function answerConsulError(error: unknown): TCompatAnswer {
  const appError = toAppError(error);
  const status = appError.code === "validation_failed" || appError.code === "conflict" ? 400 : appError.status;
  const answer = consulText(status, appError.message);
  return status === 503 || status === 429 ? { ...answer, headers: { "retry-after": String(retryAfterS) } } : answer;
}

type TConsulScope = { service?: string; namespace?: string };

// Consul's token places: X-Consul-Token, ?token=, or Authorization: Bearer (what its HTTP API reads, in this order).
function tokenOf(request: TCompatRequest): string | null {
  const header = request.header("x-consul-token");
  if (header) return header.trim();
  const query = request.query.get("token");
  if (query) return query;
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.header("authorization") ?? "");
  return bearer?.[1] ?? null;
}

/**
 * The Meshdeck API token behind the request, if it may do `permission` (for the service or namespace, when named); else Consul's 403
 * "Permission denied", with what is missing.
 */
export async function consulActor(request: TCompatRequest, permission: TPermission, scope: TConsulScope = {}): Promise<TActor> {
  const token = tokenOf(request);
  const actor = token ? await authenticateApiToken({ token }) : null;
  // Consul's words, short: its clients show a body of under 80 characters as the error's message.
  if (!actor) throw new AppError("forbidden", "Permission denied");
  assertConsulPermission(actor, permission, scope);
  return actor;
}

/** A refusal (403) as Consul tells it: "Permission denied: " before what is missing. */
function consulRefusal(error: unknown): never {
  if (error instanceof AppError && error.code === "forbidden") throw new AppError("forbidden", `Permission denied: ${error.message}`);
  throw error;
}

/** The one check (lib/auth/permissions.ts), told as Consul tells a refusal. */
export function assertConsulPermission(actor: TActor, permission: TPermission, scope: TConsulScope) {
  try {
    assertPermission({ actor, permission, ...scope });
  } catch (error) {
    consulRefusal(error);
  }
}

/** A check that reads first (assertInstanceScope), its refusal told as Consul tells one. */
export function toldAsConsul<T>(check: Promise<T>): Promise<T> {
  return check.catch(consulRefusal);
}
