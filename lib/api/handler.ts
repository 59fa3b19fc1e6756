import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { assertPermission, type TPermission } from "@/lib/auth/permissions";
import { assertPasswordCurrent, getCurrentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { isNestedDeeperThan, MAX_JSON_DEPTH } from "@/lib/json-depth";
import { log } from "@/lib/log";
import { originHost } from "@/lib/net/origin";

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

/** Who is calling, a bearer token (services) or a signed-in user (the dashboard), if it may do `permission`. */
async function authenticate(request: NextRequest, permission: TPermission): Promise<TActor> {
  const header = request.headers.get("authorization");
  if (header) return authenticateBearer(header, permission);
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", "send an API token as 'Authorization: Bearer <token>'");
  assertSameOrigin(request);
  assertPasswordCurrent({ user, permission });
  assertPermission({ caller: user, permission });
  return user;
}

/**
 * A browser sends the session cookie with any request to this site, even one a foreign page starts;
 * a change made with the cookie must come from the dashboard's own pages.
 */
function assertSameOrigin(request: NextRequest) {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  // "null" (a sandboxed frame, a file: page) and a malformed origin name no page of the dashboard.
  const from = originHost(origin);
  if (!from || (host && from !== host)) throw new AppError("forbidden", "a change with the session cookie must come from the dashboard itself");
}

/** The caller of an `Authorization: Bearer <token>` header, if tokens may do `permission` (else 403); a bad token is a 401. */
export async function authenticateBearer(header: string, permission: TPermission): Promise<TActor> {
  assertPermission({ caller: { type: "token" }, permission });
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const actor = match?.[1] ? await authenticateApiToken({ token: match[1] }) : null;
  if (!actor) throw new AppError("unauthorized", "the API token is missing, malformed or revoked");
  return actor;
}

type TBodyHeaders = { contentType: string | null; contentLength: string | null };

// Only JSON: a form or text/plain body cannot be made to pass for a JSON call (CSRF). Checked before the body is read.
export function assertJsonHeaders({ contentType, contentLength }: TBodyHeaders, maxBytes = maxBodyBytes) {
  if (!/^application\/json\b/i.test(contentType ?? "")) throw new AppError("unsupported_media_type", "send the body as Content-Type: application/json");
  if (Number(contentLength ?? 0) > maxBytes) throw new AppError("payload_too_large", `the body must be at most ${maxBytes} bytes`);
}

/** A JSON body's text, parsed: too long is a 413, empty or malformed a 400 that says so. */
export function parseJsonBody(text: string, maxBytes = maxBodyBytes): unknown {
  if (Buffer.byteLength(text) > maxBytes) throw new AppError("payload_too_large", `the body must be at most ${maxBytes} bytes`);
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

/** Reads a JSON body, capped in size (64 KiB unless said otherwise). */
export async function readJson(request: NextRequest, { maxBytes = maxBodyBytes }: { maxBytes?: number } = {}): Promise<unknown> {
  assertJsonHeaders({ contentType: request.headers.get("content-type"), contentLength: request.headers.get("content-length") }, maxBytes);
  return parseJsonBody(await request.text(), maxBytes);
}

type TContext<P> = { request: NextRequest; params: P; actor: TActor };
type TParamsOf<C> = C extends { params: Promise<infer P> } ? P : never;

/**
 * Wraps an API route: checks the caller may do `permission`, runs `fn`, and turns errors into `{ error: { code, message } }`.
 * `C` is the route's context as Next types it: `RouteContext<"/api/v1/services/[name]">`.
 */
export function apiRoute<C extends { params: Promise<object> } = { params: Promise<object> }>(
  { permission }: { permission: TPermission },
  fn: (context: TContext<TParamsOf<C>>) => Promise<Response>,
) {
  return async (request: NextRequest, context: C) => {
    try {
      const actor = await authenticate(request, permission);
      // TypeScript cannot see that C["params"] is the promise TParamsOf<C> takes apart.
      const params = await (context.params as Promise<TParamsOf<C>>);
      return await fn({ request, params, actor });
    } catch (error) {
      const appError = toAppError(error);
      return NextResponse.json(errorBody(appError), { status: appError.status });
    }
  };
}
