import { z } from "zod";
import { getEnv } from "@/lib/env";
import { hostRefusal } from "@/lib/net/address-policy";
import { ZServiceName } from "@/lib/registry/schemas";
import { haproxyNamePattern } from "./haproxy/plan";
import { parseRuntimeAddress } from "./haproxy/runtime-address";
import { dataPlaneKinds, healthModes } from "./types";

export const ZDataPlaneName = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "may hold only lowercase letters, digits and '-', starting with a letter or digit");

/** Why a HAProxy Runtime API address is refused, or null: a TCP one is reached under the address policy. */
function runtimeAddressRefusal(text: string): string | null {
  const address = parseRuntimeAddress(text);
  if (!address) return "must be a unix socket path (/run/haproxy/admin.sock) or ipv4@host:port";
  return address.kind === "tcp" ? hostRefusal(address.host) : null;
}

// A file name only: the directory is the administrator's choice at start (MESHDECK_NGINX_DIR), not the API's.
export const nginxFilePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}\.conf$/;

const ZBackendName = z.string().regex(haproxyNamePattern, "must be a HAProxy backend name: letters, digits, '.', '_', ':' and '-', at most 128");

// Each backend is driven by one service: two would undo each other's servers.
const ZBackendMap = z
  .record(ZServiceName, ZBackendName)
  .refine((map) => Object.keys(map).length <= 1000, "at most 1,000 services")
  .refine((map) => new Set(Object.values(map)).size === Object.values(map).length, "each backend may be named for one service only");

export const ZDataPlaneInput = z
  .strictObject({
    name: ZDataPlaneName,
    kind: z.enum(dataPlaneKinds),
    /** haproxy: its Runtime API; nginx: the file, in MESHDECK_NGINX_DIR, that Meshdeck renders its upstreams into. */
    address: z.string().trim().max(256, "must be at most 256 characters"),
    /** null or left out: the naming rule, backend (or upstream) `<service>`. */
    backends: ZBackendMap.nullable().default(null),
    healthMode: z.enum(healthModes).default("meshdeck"),
    enabled: z.boolean().default(true),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (input.kind === "haproxy") {
      const refusal = runtimeAddressRefusal(input.address);
      if (refusal) issue("address", refusal);
      return;
    }
    if (!getEnv().MESHDECK_NGINX_DIR) issue("kind", "nginx data planes need MESHDECK_NGINX_DIR: the directory Meshdeck may write upstream files into");
    if (!nginxFilePattern.test(input.address)) issue("address", "must be a file name ending in .conf (it is written in MESHDECK_NGINX_DIR)");
    if (input.healthMode !== "meshdeck") issue("healthMode", "nginx has no active checks of its own: Meshdeck's health decides");
    for (const [service, upstream] of Object.entries(input.backends ?? {})) {
      if (upstream.includes(":")) ctx.addIssue({ code: "custom", path: ["backends", service], message: "an nginx upstream name has no ':'" });
    }
  });

export type TDataPlaneInput = z.infer<typeof ZDataPlaneInput>;
