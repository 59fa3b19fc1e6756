import type { TApiUrl } from "./api-urls";

/** An answer other than 2xx: its status, and the message of the API's `{ error: { message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function messageOf(body: unknown): string | undefined {
  const error = body && typeof body === "object" && "error" in body ? body.error : undefined;
  const message = error && typeof error === "object" && "message" in error ? error.message : undefined;
  return typeof message === "string" ? message : undefined;
}

/** Calls the API from the browser and returns its JSON answer, of the type the URL table gives the path. */
export async function fetchApi<T>(url: TApiUrl<T>, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, headers: { accept: "application/json", ...init.headers } });
  const body: unknown = await response.json();
  if (!response.ok) throw new ApiError(response.status, messageOf(body) ?? `${response.status} ${response.statusText}`);
  // The one place an answer is taken for its type: the URL table says what each path answers.
  return body as T;
}
