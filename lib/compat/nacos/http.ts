import "server-only";
import type { IncomingMessage } from "node:http";
import { maxBodyBytes, toAppError } from "@/lib/api/gate";
import { AppError } from "@/lib/errors";
import { forbiddenCharacter } from "@/lib/plain-text";
import { readBody } from "@/lib/server/beside-next";

/** What a Nacos endpoint answers: Nacos answers text ("ok", config content) or JSON, and errors as text. */
export type TNacosAnswer = { status: number; body: string; type: "text" | "json"; headers?: Record<string, string> };

export const text = (body: string, headers?: Record<string, string>): TNacosAnswer => ({ status: 200, body, type: "text", headers });
export const json = (payload: unknown): TNacosAnswer => ({ status: 200, body: JSON.stringify(payload), type: "json" });

// How long an overloaded server asks clients to wait.
const retryAfterS = 1;

/** An error as Nacos tells one (`caused: ...` text), with Retry-After on 429 and 503. */
export function errorText(error: unknown): TNacosAnswer {
  const appError = toAppError(error);
  const retry = appError.status === 429 || appError.status === 503 ? { "retry-after": String(retryAfterS) } : undefined;
  return { status: appError.status, body: `caused: ${appError.message}`, type: "text", headers: retry };
}

/** A request's parameters: Nacos clients send them in the query, in a form body, or both (the body wins). */
export class NacosParams {
  constructor(private readonly values: URLSearchParams) {}

  /** A parameter as sent, or undefined; control characters are a 400 (only `content` may hold line breaks). */
  get(name: string, { multiline = false }: { multiline?: boolean } = {}): string | undefined {
    const value = this.values.get(name) ?? undefined;
    const char = value === undefined ? null : multiline ? (value.includes("\u0000") ? "U+0000" : null) : forbiddenCharacter(value);
    if (char) throw new AppError("bad_request", `${name}: must not hold control or bidi-override characters (found ${char})`, name);
    return value;
  }

  required(name: string): string {
    const value = this.get(name);
    if (!value) throw new AppError("bad_request", `${name}: is required`, name);
    return value;
  }

  /** true/false; absent: the default. */
  flag(name: string, fallback: boolean): boolean {
    const value = this.get(name);
    if (value === undefined || value === "") return fallback;
    if (value !== "true" && value !== "false") throw new AppError("bad_request", `${name}: must be true or false`, name);
    return value === "true";
  }

  port(name = "port"): number {
    const value = Number(this.required(name));
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new AppError("bad_request", `${name}: must be a port, 1..65535`, name);
    return value;
  }
}

/** The parameters of `request`: its query, and its form body read up to `maxBytes` (a 413 past it). */
export async function readParams(request: IncomingMessage, url: URL, { maxBytes = maxBodyBytes }: { maxBytes?: number } = {}): Promise<NacosParams> {
  const values = new URLSearchParams(url.search);
  const type = request.headers["content-type"] ?? "";
  const hasBody =
    request.headers["content-length"] !== undefined ? request.headers["content-length"] !== "0" : request.headers["transfer-encoding"] !== undefined;
  if (!hasBody) return new NacosParams(values);
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "the body must be a form (application/x-www-form-urlencoded)");
  }
  for (const [name, value] of new URLSearchParams(await readBody(request, maxBytes))) values.set(name, value);
  return new NacosParams(values);
}
