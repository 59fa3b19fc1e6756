import { createHash } from "node:crypto";

// Pages poll the API every few seconds and most answers are the same as the last: a tag of the JSON lets the
// browser's own HTTP cache ask "If-None-Match" and get a bodiless 304, with no change to the polling code.

/** A weak tag of a JSON body: equal bodies, equal tags. */
export function jsonTag(body: string): string {
  return `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** Whether an If-None-Match header names `tag` (or is `*`). */
export function tagMatches(ifNoneMatch: string | null, tag: string): boolean {
  if (!ifNoneMatch) return false;
  const weak = (value: string) => value.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((each) => each.trim() === "*" || weak(each) === weak(tag));
}

/** A GET's 200 JSON answer with its tag and "revalidate every time"; a 304 without a body when the caller has it already. */
export async function answerConditionally(request: { method: string; headers: Headers }, response: Response): Promise<Response> {
  if (request.method !== "GET" || response.status !== 200 || !response.headers.get("content-type")?.startsWith("application/json")) return response;
  // A route that says how it is cached (the config items' strong ETag, a no-store) keeps its own say.
  if (response.headers.has("etag") || response.headers.has("cache-control")) return response;
  const body = await response.text();
  const tag = jsonTag(body);
  const headers = new Headers(response.headers);
  headers.set("ETag", tag);
  // private: a shared cache never keeps one user's answer; no-cache: the browser asks every time, and the tag makes it cheap.
  headers.set("Cache-Control", "private, no-cache");
  if (tagMatches(request.headers.get("if-none-match"), tag)) {
    headers.delete("content-type");
    headers.delete("content-length");
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers });
}
