import { describe, expect, test } from "vitest";
import { answerConditionally, jsonTag, tagMatches } from "./conditional-get";

const json = (body: unknown, init: ResponseInit = {}) => Response.json(body, init);
const get = (ifNoneMatch?: string) => ({ method: "GET", headers: new Headers(ifNoneMatch ? { "if-none-match": ifNoneMatch } : {}) });

describe("answerConditionally", () => {
  test("a first GET gets the body with its tag, revalidated every time", async () => {
    const answer = await answerConditionally(get(), json({ services: 3 }));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ services: 3 });
    expect(answer.headers.get("etag")).toBe(jsonTag(JSON.stringify({ services: 3 })));
    expect(answer.headers.get("cache-control")).toBe("private, no-cache");
  });

  test("the same answer again is a 304 without a body; a changed one is a 200 with the new tag", async () => {
    const tag = jsonTag(JSON.stringify({ services: 3 }));
    const same = await answerConditionally(get(tag), json({ services: 3 }));
    expect(same.status).toBe(304);
    expect(await same.text()).toBe("");
    expect(same.headers.get("etag")).toBe(tag);
    const changed = await answerConditionally(get(tag), json({ services: 4 }));
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(tag);
  });

  test.each([
    ["a POST", { method: "POST", headers: new Headers() }, json({ ok: true })],
    ["an error", get(), json({ error: { code: "not_found" } }, { status: 404 })],
    ["a CSV", get(), new Response("a,b\n", { headers: { "content-type": "text/csv" } })],
    ["a route's own ETag", get(), json({ v: 1 }, { headers: { etag: '"1-abc"' } })],
    ["a no-store", get(), json({ v: 1 }, { headers: { "cache-control": "no-store" } })],
  ])("%s passes through untouched", async (_, request, response) => {
    const answer = await answerConditionally(request, response);
    expect(answer).toBe(response);
  });
});

describe("tagMatches", () => {
  test.each([
    [null, false],
    ['W/"abc"', true],
    ['"abc"', true],
    ['W/"x", W/"abc"', true],
    ["*", true],
    ['W/"abd"', false],
  ])('If-None-Match %s against W/"abc": %s', (header, expected) => {
    expect(tagMatches(header, 'W/"abc"')).toBe(expected);
  });
});
