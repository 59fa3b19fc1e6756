import "server-only";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { MAX_CONFIG_BODY_BYTES } from "@/lib/config/schemas";
import { serveCompatPort, type TCompatAnswer } from "../listen";
import { errorText, type TNacosAnswer } from "./http";
import { answerNacos } from "./routes";

let started = false;

const asCompat = ({ status, body, type, headers }: TNacosAnswer): TCompatAnswer => ({
  status,
  body,
  headers,
  contentType: type === "json" ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
});

/** Nacos's open API v1 (naming and config) on MESHDECK_NACOS_PORT of MESHDECK_HOST, when set; it stops with the app. */
export async function startNacosApi() {
  const { MESHDECK_NACOS_PORT: port, MESHDECK_HOST: host } = getEnv();
  if (port === undefined || started) return;
  started = true;
  try {
    const { url } = await serveCompatPort({
      name: "Nacos",
      host,
      port,
      // The largest body a Nacos request needs is a config publish; each route caps its own below that.
      maxBodyBytes: MAX_CONFIG_BODY_BYTES,
      answer: async (request, signal) => asCompat(await answerNacos(request, signal)),
      answerError: (error) => asCompat(errorText(error)),
    });
    log.info(`Nacos API (naming and config v1) listening on ${url}/nacos`);
  } catch (error) {
    log.error(`the Nacos API could not listen on ${host}:${port}`, error);
  }
}
