/** The host of an Origin header, or null for "null" (a sandboxed frame, a file) and anything that is not an http(s) origin. */
export function originHost(origin: string): string | null {
  if (!/^https?:\/\//i.test(origin)) return null;
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}
