import "server-only";
import { toAppError } from "@/lib/api/gate";
import { toSearchParams, type TSearchParams } from "./search-params";

/** A page's filters as its link says or, when the link cannot be read, the defaults and why (the page shows it). */
export function parsePageSearch<T>(search: URLSearchParams | TSearchParams, parse: (params: URLSearchParams) => T): { value: T; problem: string | null } {
  try {
    return { value: parse(toSearchParams(search)), problem: null };
  } catch (error) {
    return { value: parse(new URLSearchParams()), problem: toAppError(error).message };
  }
}
