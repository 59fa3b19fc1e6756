// The gateway (data plane) as its own process: started by the app (MESHDECK_GATEWAY=on, the default) or by hand with
// `npm run gateway` and MESHDECK_URL + MESHDECK_TOKEN. It routes /<service>/<path> on MESHDECK_GATEWAY_PORT by each
// service's policy and live weights, following Meshdeck's catalog; see docs/gateway.md.
import { getEnv } from "@/lib/env";
import type { TGatewayListening } from "@/lib/gateway/spawn-gateway";
import { startGateway } from "@/lib/gateway/start-gateway";
import { log } from "@/lib/log";

async function main() {
  const env = getEnv();
  if (!env.MESHDECK_URL || !env.MESHDECK_TOKEN) throw new Error("set MESHDECK_URL (where Meshdeck is) and MESHDECK_TOKEN (an API token)");
  const gateway = await startGateway({ url: env.MESHDECK_URL, token: env.MESHDECK_TOKEN, host: env.MESHDECK_HOST, port: env.MESHDECK_GATEWAY_PORT });
  // Started by the app, which says where it listens; by hand, this line does.
  if (process.send) process.send({ type: "gateway-listening", url: gateway.url } satisfies TGatewayListening);
  else log.info(`gateway listening on ${gateway.url}, following ${env.MESHDECK_URL}`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.debug(`gateway: ${why}, stopping`);
    await gateway.stop();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  // Started by the app with an IPC channel: when the app goes, so does the gateway.
  process.once("disconnect", () => void stop("the app that started it is gone"));
}

main().catch((error: unknown) => {
  if ((error as { code?: string }).code === "EADDRINUSE") {
    const { MESHDECK_HOST, MESHDECK_GATEWAY_PORT } = getEnv();
    log.error(`gateway: ${MESHDECK_HOST}:${MESHDECK_GATEWAY_PORT} is taken; set MESHDECK_GATEWAY_PORT to a free port`);
  } else log.error("gateway failed to start", error);
  process.exit(1);
});
