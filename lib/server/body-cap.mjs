// @ts-check
// Request bodies are capped in server.mjs, before Next.js (and Auth.js, and every route) reads a byte: a body
// declared larger is answered 413 at once, and one sent in chunks is counted as it arrives and answered 413 as
// soon as it passes the cap, nothing past it kept. Routes keep their own, smaller limits (lib/api/gate.ts).

const MiB = 1024 * 1024;

// The most any route needs: a config import carries a whole export file (MAX_IMPORT_BYTES in lib/config/schemas.ts).
const limits = new Map([["/api/v1/config/import", 5 * MiB]]);
export const defaultBodyLimit = 1 * MiB;

/** The most bytes a request body to `path` may have. */
export function bodyLimitFor(/** @type {string} */ path) {
  return limits.get(path) ?? defaultBodyLimit;
}

/**
 * Caps the body of `request` at `limit` bytes. Returns true when it has answered already (a Content-Length over the
 * limit); else a chunked body is counted as it streams, and passing the limit answers 413 and closes the connection.
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} response
 * @param {number} limit
 */
export function capBody(request, response, limit) {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    refuse(response, limit);
    return true;
  }
  // A declared length is all Node's parser reads of a body (it refuses one declared with chunked encoding too): within
  // the limit, nothing to count. Only a chunked body is counted, without wrapping every request's push.
  if (request.headers["transfer-encoding"] === undefined) return false;
  let size = 0;
  let refused = false;
  const push = request.push.bind(request);
  // Node's HTTP parser hands each piece of the body to push() as it arrives, before any reader sees it.
  request.push = (/** @type {Buffer | null} */ chunk, /** @type {BufferEncoding | undefined} */ encoding) => {
    if (refused) return false;
    if (chunk !== null) {
      size += chunk.length;
      if (size > limit) {
        refused = true;
        refuse(response, limit);
        // false: the parser stops reading the socket.
        return false;
      }
    }
    return push(chunk, encoding);
  };
  return false;
}

/** 413 and close: the rest of the body is never read into memory. */
function refuse(/** @type {import("node:http").ServerResponse} */ response, /** @type {number} */ limit) {
  // Whoever was reading the body may still try to answer; the response is taken, and that is not an error.
  response.on("error", () => undefined);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: "payload_too_large", message: `the body must be at most ${limit} bytes` } });
  response.writeHead(413, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  response.end(body);
}
