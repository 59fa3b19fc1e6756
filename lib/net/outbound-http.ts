import "server-only";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { asError } from "@/lib/errors";
import { connectTarget, type TConnectTarget } from "./policy-lookup";

// Ports fetch refuses (WHATWG Fetch "bad port"): a webhook must not become a way to talk SMTP, IRC or SSH.
const badPorts = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

// An answer larger than this is refused rather than held in memory; Prometheus's answers are far smaller.
const maxAnswerBytes = 64 * 1024 * 1024;

type TOutboundRequest = {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** False: the answer's status is enough, its body is not read (text is empty). */
  readBody?: boolean;
  /** PEM: the CA to trust in place of the system's, and a client certificate with its key. */
  tls?: { ca?: string; cert?: string; key?: string };
  /** Aborts the exchange (a watch being stopped). */
  signal?: AbortSignal;
};
export type TOutboundResponse = { status: number; text: string; headers: IncomingHttpHeaders };

/**
 * An HTTP(S) request to a URL that came from outside (webhooks, Prometheus), in place of fetch, which cannot
 * take a lookup: the address policy is applied when it connects, redirects are never followed (a 3xx is the
 * answer), and the whole exchange must end within timeoutMs. Node's errors keep their code (ECONNREFUSED, ...).
 */
export function sendOutbound({ url, method, headers, body, timeoutMs, readBody = true, tls, signal }: TOutboundRequest): Promise<TOutboundResponse> {
  return new Promise((resolve, reject) => {
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    if (badPorts.has(port)) return reject(new Error(`port ${port} is one HTTP clients refuse to use`));
    let target: TConnectTarget;
    try {
      target = connectTarget(url.hostname);
    } catch (error) {
      return reject(asError(error));
    }
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const length = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const options = { ...target, ...tls, port, method, path: `${url.pathname}${url.search}`, headers: { host: url.host, ...length, ...headers }, signal };
    const req = send(options, (response) => {
      const status = response.statusCode ?? 0;
      if (!readBody) {
        resolve({ status, text: "", headers: response.headers });
        return void req.destroy();
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxAnswerBytes) return void chunks.push(chunk);
        reject(new Error(`the answer is larger than ${maxAnswerBytes / 1024 / 1024} MiB`));
        req.destroy();
      });
      response.on("end", () => resolve({ status, text: Buffer.concat(chunks).toString("utf8"), headers: response.headers }));
      response.on("error", reject);
    });
    const deadline = setTimeout(() => {
      reject(new Error(`no answer within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on("close", () => clearTimeout(deadline));
    req.on("error", reject);
    req.end(body);
  });
}
