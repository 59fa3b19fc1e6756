import { expect, test, vi } from "vitest";
import { z } from "zod";
import { parsePageSearch } from "./page-search";
import { parseSearch } from "./search-params";

// The real error mapping of API routes (lib/api/handler), without the sign-in it also holds (next-auth needs a Next server).
vi.mock("@/lib/auth/session", () => ({}));

const parse = (params: URLSearchParams) => parseSearch(z.strictObject({ limit: z.coerce.number().int().default(50) }), params);

test.each([
  ["a link it reads", { limit: "10" }, { value: { limit: 10 }, problem: null }],
  ["no filters", {}, { value: { limit: 50 }, problem: null }],
  ["a repeated parameter", { limit: ["10", "20"] }, { value: { limit: 50 }, problem: "limit: must be given once" }],
  ["an unknown parameter", { colour: "red" }, { value: { limit: 50 }, problem: expect.stringMatching(/^colour: /) }],
  ["a bad value", { limit: "ten" }, { value: { limit: 50 }, problem: expect.stringMatching(/^limit: /) }],
])("%s: the filters, or the defaults and why", (_name, search, shown) => {
  expect(parsePageSearch(search, parse)).toEqual(shown);
});
