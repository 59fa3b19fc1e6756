/** A bound on the requests of one kind in progress in this process: past it, new ones are refused at once. */
export type TAdmission = {
  /** A slot, released by calling what is returned; undefined when all `limit` are taken. */
  tryEnter: () => (() => void) | undefined;
  readonly inFlight: number;
  readonly limit: number;
};

// Writes past the limit would only queue for SQLite's one writer (or PostgreSQL's pool) until clients time out and
// retry: refusing them at once, before anything is read or stored, keeps every answer a 2xx or a clean 503.
export function admissionGate({ limit }: { limit: number }): TAdmission {
  let inFlight = 0;
  return {
    tryEnter() {
      if (inFlight >= limit) return undefined;
      inFlight += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        inFlight -= 1;
      };
    },
    get inFlight() {
      return inFlight;
    },
    limit,
  };
}
