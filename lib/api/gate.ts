import "server-only";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { authenticateApiToken, knownApiToken } from "@/lib/auth/api-tokens";
import { assertPasswordCurrent, assertPermission, permits, type TPermission } from "@/lib/auth/permissions";
import type { TUserActor } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { isNestedDeeperThan, MAX_JSON_DEPTH } from "@/lib/json-depth";
import { log } from "@/lib/log";
import { originHost } from "@/lib/net/origin";

// The checks every API request passes, whichever server answers it (Next.js, or lib/server/beside-next.ts):
// who is calling, what the body may be, and how an error is told. Nothing here knows a framework's request type.

export const maxBodyBytes = 64 * 1024;

export function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } };
}

// Prisma's codes for a unique constraint lost to a concurrent writer, and a row gone meanwhile.
const prismaCodes: Record<string, AppError["code"]> = { P2002: "conflict", P2025: "not_found" };

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    // An unknown key is reported on its parent, with the key's name beside the path.
    const keys = issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
    const field = [...(issue?.path ?? []), ...keys].join(".") || undefined;
    return new AppError("validation_failed", field ? `${field}: ${issue?.message}` : (issue?.message ?? "invalid input"), field);
  }
  const code = prismaCodes[(error as { code?: string })?.code ?? ""];
  if (code) return new AppError(code, code === "conflict" ? "it was changed by someone else meanwhile; try again" : "it no longer exists");
  log.error("unhandled error in API handler", error);
  return new AppError("unavailable", "the request could not be completed; try again");
}

/** What authentication reads of a request: its method, its headers, and (only where a framework can read it) its session. */
export type TCaller = { method: string; header: (name: string) => string | null; session: () => Promise<TUserActor | null> };

/** Who is calling, a bearer token (services) or a signed-in user (the dashboard), if it may do `permission`. */
export async function authenticate(caller: TCaller, permission: TPermission): Promise<TActor> {
  const header = caller.header("authorization");
  if (header) return authenticateBearer(header, permission);
  const user = await caller.session();
  if (!user) throw new AppError("unauthorized", "send an API token as 'Authorization: Bearer <token>'");
  assertSameOrigin(caller);
  assertPasswordCurrent({ user, permission });
  assertPermission({ actor: user, permission });
  return user;
}

/**
 * A browser sends the session cookie with any request to this site, even one a foreign page starts;
 * a change made with the cookie must come from the dashboard's own pages.
 */
function assertSameOrigin(caller: TCaller) {
  if (caller.method === "GET" || caller.method === "HEAD") return;
  const origin = caller.header("origin");
  if (origin === null) return;
  const host = caller.header("x-forwarded-host") ?? caller.header("host");
  // "null" (a sandboxed frame, a file: page) and a malformed origin name no page of the dashboard.
  const from = originHost(origin);
  if (!from || (host && from !== host)) throw new AppError("forbidden", "a change with the session cookie must come from the dashboard itself");
}

/**
 * The caller of an `Authorization: Bearer <token>` header, if it holds `permission` in some scope (else 403 naming it);
 * a bad, revoked or expired token is a 401. The endpoint checks the scope for each service or namespace it reaches.
 */
export async function authenticateBearer(header: string, permission: TPermission): Promise<TActor> {
  const token = bearerToken(header);
  const actor = token ? await authenticateApiToken({ token }) : null;
  if (!actor) throw new AppError("unauthorized", "the API token is missing, malformed, revoked or expired");
  assertPermission({ actor, permission });
  return actor;
}

/**
 * The caller of a bearer token kept and trusted now, if it holds `permission`: answered without waiting, for an
 * endpoint that answers from memory. Undefined for anything else (a session, a token to read, a refusal): then
 * `authenticate` decides.
 */
export function knownCaller(caller: TCaller, permission: TPermission): TActor | undefined {
  const header = caller.header("authorization");
  const token = header ? bearerToken(header) : undefined;
  const actor = token ? knownApiToken(token) : undefined;
  return actor && permits({ actor, permission }) ? actor : undefined;
}

function bearerToken(header: string): string | undefined {
  // The usual spelling without a match object made (every heartbeat carries it); any other through the pattern.
  if (header.startsWith("Bearer ")) {
    const token = header.slice(7);
    if (token !== "" && !/\s/.test(token)) return token;
  }
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

type TBodyHeaders = { contentType: string | null; contentLength: string | null };

// Only JSON: a form or text/plain body cannot be made to pass for a JSON call (CSRF). Checked before the body is read.
export function assertJsonHeaders({ contentType, contentLength }: TBodyHeaders, maxBytes = maxBodyBytes) {
  if (!/^application\/json\b/i.test(contentType ?? "")) throw new AppError("unsupported_media_type", "send the body as Content-Type: application/json");
  if (Number(contentLength ?? 0) > maxBytes) throw tooLarge(maxBytes);
}

export function tooLarge(maxBytes: number) {
  return new AppError("payload_too_large", `the body must be at most ${maxBytes} bytes`);
}

/** A JSON body's text, parsed: too long is a 413, empty or malformed a 400 that says so. */
export function parseJsonBody(text: string, maxBytes = maxBodyBytes): unknown {
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge(maxBytes);
  if (!text.trim()) throw new AppError("bad_request", "the body is empty; send a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (isNestedDeeperThan(value)) throw new AppError("validation_failed", `the body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  return value;
}

/** A body read chunk by chunk: reading stops with a 413 as soon as it passes `maxBytes`, nothing past it is kept. */
export async function readCappedText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return "";
  const reader = body.getReader();
  const kept: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(kept).toString("utf8");
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    kept.push(value);
  }
}
