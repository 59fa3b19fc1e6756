import { z } from "zod";
import { pageSize, ZPageLimit, ZPageNumber } from "./cursor";
import type { TSearchParams } from "./search-params";

// A numbered page of a short list (config items, tokens, users, sources): ?page=&limit=, counted in SQL. Pure.

export type TNumberedPage = { page: number; limit: number };

/** `page` and `limit` as an API reads them: a bad one is a 422 naming it. */
export const ZNumberedPage = { page: ZPageNumber, limit: ZPageLimit };

/** `page` and `limit` as a page's URL holds them: what cannot be read is the first page of 50. */
export function readNumberedPage(search: TSearchParams): TNumberedPage {
  return { page: ZPageNumber.catch(1).parse(search.page), limit: ZPageLimit.catch(pageSize).parse(search.limit) };
}

/** The rows a page skips and takes, as Prisma's findMany reads them. */
export const skipTake = ({ page, limit }: TNumberedPage) => ({ skip: (page - 1) * limit, take: limit });

/** Where a page is in its list: at least one page, so an empty list is "page 1 of 1". */
export const pageOf = (total: number, { page, limit }: TNumberedPage) => ({ total, page, pages: Math.max(1, Math.ceil(total / limit)) });

/** The page's own parameters for its URL, defaults left out. */
export const numberedSearch = ({ page, limit }: TNumberedPage) => ({
  page: page > 1 ? String(page) : undefined,
  limit: limit !== pageSize ? String(limit) : undefined,
});

export const ZNumberedPageQuery = z.strictObject(ZNumberedPage);

/** Where a page is, and its URL's query (for its links to other pages). */
export type TPaging = ReturnType<typeof pageOf> & { query: string };
