import { expect, test } from "vitest";
import { parseEventFilters, toEventSearch } from "./event-filters";

const parse = (query: string) => parseEventFilters(new URLSearchParams(query));

test.each([
  ["", ""],
  ["kind=health,failover&service=shop", "service=shop&kind=health%2Cfailover"],
  ["range=24h&before=1768046400000_cm5abc&limit=50", "range=24h&before=1768046400000_cm5abc"],
  ["limit=20&kind=&service=", "limit=20"],
])("toEventSearch(%j) -> %j, and reads back the same", (query, search) => {
  const parsed = parse(query);
  expect(toEventSearch(parsed)).toBe(search);
  expect(parse(search)).toEqual(parsed);
});

test("a page's searchParams read as its URL does", () => {
  expect(parseEventFilters({ service: "shop", kind: "health", before: undefined })).toEqual(parse("service=shop&kind=health"));
  expect(() => parseEventFilters({ kind: ["health", "failover"] })).toThrow(/kind: must be given once/);
});
