import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import type { TActor } from "@/lib/auth/actor";
import { authenticateApiToken } from "@/lib/auth/api-tokens";
import { roleAllows, type TRole } from "@/lib/auth/roles";
import { getCurrentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

const maxBodyBytes = 64 * 1024;

export function errorBody(error: AppError) {
  return { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } };
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const field = issue?.path.join(".") || undefined;
    return new AppError("validation_failed", field ? `${field}: ${issue?.message}` : (issue?.message ?? "invalid input"), field);
  }
  log.error("unhandled error in API handler", error);
  return new AppError("unavailable", "the request could not be completed; try again");
}

/**
 * Who is calling: a bearer token (services) or a signed-in user (the dashboard). Tokens may use
 * the registry API unless `tokens` is false; users need the role `needs`.
 */
async function authenticate(request: NextRequest, needs: TRole, tokens: boolean): Promise<TActor> {
  const header = request.headers.get("authorization");
  if (header) {
    if (!tokens) throw new AppError("forbidden", "API tokens cannot call this; sign in as a user with the admin role");
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match?.[1] ? await authenticateApiToken({ token: match[1] }) : null;
    if (!actor) throw new AppError("unauthorized", "the API token is missing, malformed or revoked");
    return actor;
  }
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized", "send an API token as 'Authorization: Bearer <token>'");
  if (!roleAllows({ role: user.role, needs })) throw new AppError("forbidden", `this needs the ${needs} role; you are ${user.role}`);
  return user;
}

/** Reads a JSON body, capped in size; malformed JSON is a 400 that says so. */
export async function readJson(request: NextRequest): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBodyBytes) throw new AppError("payload_too_large", `the body must be at most ${maxBodyBytes} bytes`);
  if (!text.trim()) throw new AppError("bad_request", "the body is empty; send a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("bad_request", `the body is not valid JSON: ${(error as Error).message}`);
  }
}

type TContext<P> = { request: NextRequest; params: P; actor: TActor };

/** Wraps an API route: authenticates, runs `fn`, and turns errors into `{ error: { code, message } }`. */
export function apiRoute<P = Record<string, never>>(
  { needs = "viewer", tokens = true }: { needs?: TRole; tokens?: boolean },
  fn: (context: TContext<P>) => Promise<Response>,
) {
  return async (request: NextRequest, { params }: { params: Promise<P> }) => {
    try {
      const actor = await authenticate(request, needs, tokens);
      return await fn({ request, params: await params, actor });
    } catch (error) {
      const appError = toAppError(error);
      return NextResponse.json(errorBody(appError), { status: appError.status });
    }
  };
}
