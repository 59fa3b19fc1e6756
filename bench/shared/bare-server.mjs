// The ceiling for a benchmark (bench:registry): a bare node:http server in its own process that reads each request's body and
// answers a tiny JSON body, so the same client measured against it shows what one Node process can do here.
// Listens on 127.0.0.1:PORT and says "listening" on stdout.
import { createServer } from "node:http";

const body = JSON.stringify({ ok: true });
const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
