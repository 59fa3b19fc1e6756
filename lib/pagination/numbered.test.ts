import { expect, test } from "vitest";
import { numberedSearch, pageOf, readNumberedPage, skipTake } from "./numbered";

test.each([
  [{}, { page: 1, limit: 50 }],
  [
    { page: "3", limit: "20" },
    { page: 3, limit: 20 },
  ],
  [
    { page: "0", limit: "201" },
    { page: 1, limit: 50 },
  ],
  [
    { page: "x", limit: ["1", "2"] },
    { page: 1, limit: 50 },
  ],
  [{ page: "1001" }, { page: 1, limit: 50 }],
])("readNumberedPage(%j) -> %j: what cannot be read is the first page of 50", (search, paged) => {
  expect(readNumberedPage(search)).toEqual(paged);
});

test.each([
  [0, { page: 1, limit: 50 }, { total: 0, page: 1, pages: 1 }],
  [50, { page: 1, limit: 50 }, { total: 50, page: 1, pages: 1 }],
  [51, { page: 2, limit: 50 }, { total: 51, page: 2, pages: 2 }],
  [3, { page: 1, limit: 1 }, { total: 3, page: 1, pages: 3 }],
])("pageOf(%d, %j) -> %j", (total, paged, where) => {
  expect(pageOf(total, paged)).toEqual(where);
});

test("skipTake and numberedSearch: the rows before the page, and defaults left out of the URL", () => {
  expect(skipTake({ page: 3, limit: 20 })).toEqual({ skip: 40, take: 20 });
  expect(numberedSearch({ page: 1, limit: 50 })).toEqual({ page: undefined, limit: undefined });
  expect(numberedSearch({ page: 2, limit: 1 })).toEqual({ page: "2", limit: "1" });
});
