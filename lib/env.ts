import { z } from "zod";
import { ZDuration } from "./duration";
import { ZRoleMapping } from "./auth/role-mapping";
import { parseCidr, type TCidr } from "./net/ip-address";

const hour = 3_600_000;
const ZRetention = ZDuration.pipe(
  z
    .number()
    .min(hour, "must be at least 1h")
    .max(3650 * 24 * hour, "must be at most 3650d"),
);

// "169.254.0.0/16, fd00:ec2::254": a comma-separated list of addresses and CIDR ranges.
const ZCidrList = z
  .string()
  .default("")
  .transform((text, ctx) => {
    const ranges: TCidr[] = [];
    for (const item of text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean)) {
      const range = parseCidr(item);
      if (range) ranges.push(range);
      else ctx.addIssue({ code: "custom", message: `'${item}' is not an IP address or a CIDR range such as 169.254.0.0/16` });
    }
    return ranges;
  });

// A 32-byte key in base64 (openssl rand -base64 32); checked for length where it is used (lib/crypto/secret-box.ts).
const ZKeyText = z.string().regex(/^[A-Za-z0-9+/]{43}=?$/, "must be 32 bytes in base64 (openssl rand -base64 32)");
const ZKeyList = z
  .string()
  .default("")
  .transform((text) =>
    text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(ZKeyText));

// Unset and empty are the same: a compose file's `VAR=` turns a setting off.
const ZOptionalText = z.preprocess((value) => (value === "" ? undefined : value), z.string().trim().min(1).optional());

// Every environment variable Meshdeck reads, validated once. README.md's configuration table lists them.
const ZEnv = z
  .object({
    DATABASE_URL: z
      .string()
      .regex(/^(file:|postgres(ql)?:\/\/)/, "must be file:<path> (SQLite) or postgresql://...")
      .default("file:./data/meshdeck.db"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    MESHDECK_HOST: z.string().min(1).default("127.0.0.1"),
    AUTH_URL: z.url().optional(),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    MESHDECK_ADMIN_EMAIL: z.email().optional(),
    MESHDECK_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    MESHDECK_DEMO: z.enum(["0", "1"]).default("1"),
    // The demo fleet's traffic through a real HAProxy (Debian's), driven by Meshdeck, on its own port of MESHDECK_HOST.
    MESHDECK_DEMO_HAPROXY: z.enum(["0", "1"]).default("0"),
    MESHDECK_DEMO_HAPROXY_PORT: z.coerce.number().int().min(1).max(65535).default(3081),
    MESHDECK_COLLECTOR: z.enum(["in-process", "off"]).default("in-process"),
    // The gateway (data plane): started by the app unless off, on its own port of MESHDECK_HOST (0: any free port).
    MESHDECK_GATEWAY: z.enum(["on", "off"]).default("on"),
    MESHDECK_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3080),
    // The Consul HTTP API (lib/compat/consul) on its own port of MESHDECK_HOST; unset: off. Consul's own is 8500.
    MESHDECK_CONSUL_PORT: z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().int().min(0).max(65535).optional()),
    // Consul script checks run commands on this host: refused unless an admin sets 1 (Consul's enable_script_checks).
    MESHDECK_CONSUL_SCRIPT_CHECKS: z.enum(["0", "1"]).default("0"),
    // The Eureka REST API (lib/compat/eureka) on its own port of MESHDECK_HOST; unset or empty: off (Eureka's own is 8761).
    MESHDECK_EUREKA_PORT: z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().int().min(0).max(65535).optional()),
    // Nacos's open API v1 (naming, config) for Nacos clients, on this port of MESHDECK_HOST (8848 is Nacos's); unset: off.
    MESHDECK_NACOS_PORT: z.preprocess((value) => (value === "" ? undefined : value), z.coerce.number().int().min(1).max(65535).optional()),
    // Processes that talk to Meshdeck over its API (the gateway, the demo fleet): where it is and their token.
    MESHDECK_URL: z.url().optional(),
    MESHDECK_TOKEN: z.string().min(1).optional(),
    // The demo fleet's calls go through this gateway; unset, straight to instances found through discovery.
    MESHDECK_GATEWAY_URL: z.url().optional(),
    // How often each data plane (HAProxy) is compared with the catalog and drift put back, besides every catalog change.
    MESHDECK_DATAPLANE_REPAIR: ZDuration.pipe(z.number().min(1000, "must be at least 1s").max(3_600_000, "must be at most 1h")).default(5000),
    // nginx data planes: the directory Meshdeck writes upstream files into (which nginx includes), the main config it
    // tests with `nginx -t` and reloads, and the binary. Unset directory: nginx data planes are refused.
    MESHDECK_NGINX_DIR: z.string().startsWith("/", "must be an absolute path").optional(),
    MESHDECK_NGINX_CONF: z.string().startsWith("/", "must be an absolute path").default("/etc/nginx/nginx.conf"),
    MESHDECK_NGINX_BIN: z.string().startsWith("/", "must be an absolute path").default("/usr/sbin/nginx"),
    MESHDECK_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1, "must be at least 1").max(3650).default(30),
    // How long metric rollups are kept, per window: 10 s rows, 1 min rows, 1 h rows.
    MESHDECK_METRICS_RETAIN_10S: ZRetention.default(6 * hour),
    MESHDECK_METRICS_RETAIN_1M: ZRetention.default(7 * 24 * hour),
    MESHDECK_METRICS_RETAIN_1H: ZRetention.default(90 * 24 * hour),
    // A service with no registered instances whose outage lasts this long is retired (the collector's periodic job).
    MESHDECK_RETIRE_AFTER: ZDuration.pipe(
      z
        .number()
        .min(1000, "must be at least 1s")
        .max(3650 * 24 * hour, "must be at most 3650d"),
    ).default(24 * hour),
    // Versions kept per config item; 0 keeps every version (the default). The current and gray versions are always kept.
    MESHDECK_CONFIG_HISTORY: z.coerce.number().int().min(0, "must be 0 (keep all) or more").default(0),
    // Ranges the address policy (lib/net/address-policy.ts) refuses that are allowed anyway.
    MESHDECK_ALLOWED_ADDRESSES: ZCidrList,
    // Reverse proxies in front of the app whose X-Forwarded-For is believed (lib/auth/client-address.ts); none by default.
    MESHDECK_TRUSTED_PROXIES: ZCidrList,
    // A session ends after this long without a request, and this long after sign-in whatever happens.
    MESHDECK_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .positive("must be more than 0")
      .max(7 * 24 * 60)
      .default(30),
    MESHDECK_SESSION_MAX_HOURS: z.coerce
      .number()
      .positive("must be more than 0")
      .max(30 * 24)
      .default(12),
    // Seals secrets at rest (AES-256-GCM); unset, a key generated on first start is kept beside the SQLite file (data/encryption.key).
    MESHDECK_ENCRYPTION_KEY: ZKeyText.optional(),
    // Keys sealed with before a rotation, comma-separated: they still open old values, which start-up seals again.
    MESHDECK_ENCRYPTION_KEY_PREVIOUS: ZKeyList,
    // Registrations and deregistrations (and, apart, heartbeats) in progress per process; past it a 503 with Retry-After.
    MESHDECK_MAX_INFLIGHT_WRITES: z.coerce.number().int().min(1, "must be at least 1").max(100_000).default(256),
    // Read by glibc's malloc at process start, not by Meshdeck: scripts/serve.sh sets 2 unless given. Checked here so a
    // typo shows at start.
    MALLOC_ARENA_MAX: z.coerce.number().int().min(1).optional(),
    // Prometheus Alertmanager that alert rules notify (POST /api/v2/alerts), e.g. http://127.0.0.1:9093; unset: none.
    // Its address passes the address policy as webhooks' do (MESHDECK_ALLOWED_ADDRESSES to allow a refused range).
    MESHDECK_ALERTMANAGER_URL: z
      .url({ protocol: /^https?$/, error: "must be an http or https URL" })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
    MESHDECK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    // Single sign-on through an OpenID Connect provider (docs/sso.md): on when the issuer, client id and secret are set.
    MESHDECK_OIDC_ISSUER: ZOptionalText.pipe(z.url().optional()),
    MESHDECK_OIDC_CLIENT_ID: ZOptionalText,
    MESHDECK_OIDC_CLIENT_SECRET: ZOptionalText,
    // What the sign-in button says: "Sign in with <name>".
    MESHDECK_OIDC_NAME: z.string().trim().min(1).max(60).default("single sign-on"),
    // Scopes asked for; the role claim must come with one of them (Keycloak: a `groups` client scope, docs/sso.md).
    MESHDECK_OIDC_SCOPES: z
      .string()
      .trim()
      .regex(/^openid( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "must start with openid, space-separated")
      .default("openid email profile groups"),
    // The claim (in the provider's userinfo) whose values map to roles, and the mapping: value=role, comma-separated.
    MESHDECK_OIDC_ROLE_CLAIM: z.string().trim().min(1).max(200).default("groups"),
    MESHDECK_OIDC_ROLES: ZRoleMapping,
    // How often a single sign-on session's role is checked again at the provider, with its refresh token.
    MESHDECK_OIDC_REFRESH_MINUTES: z.coerce
      .number()
      .positive("must be more than 0")
      .max(24 * 60)
      .default(5),
    // off: no password sign-in while single sign-on works; local administrators may still sign in while it does not.
    MESHDECK_LOCAL_SIGNIN: z.enum(["on", "off"]).default("on"),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.MESHDECK_OIDC_ISSUER, env.MESHDECK_OIDC_CLIENT_ID, env.MESHDECK_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["MESHDECK_OIDC_ISSUER"],
        message: "set MESHDECK_OIDC_ISSUER, MESHDECK_OIDC_CLIENT_ID and MESHDECK_OIDC_CLIENT_SECRET together",
      });
    }
    if (env.MESHDECK_OIDC_ISSUER && env.MESHDECK_OIDC_ROLES.length === 0) {
      ctx.addIssue({ code: "custom", path: ["MESHDECK_OIDC_ROLES"], message: "must map at least one claim value to a role, e.g. mesh-admins=admin" });
    }
  });

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

export function getEnv(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Where a client on this machine reaches a server bound to `host`: a wildcard address is reached on 127.0.0.1. */
export function localAddress(host: string): string {
  return ["0.0.0.0", "::"].includes(host) ? "127.0.0.1" : host;
}

/** `http://host:port`, with an IPv6 host in brackets. */
export function httpUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Where a browser on this machine reaches the app: AUTH_URL when set, else the bound address. */
export function getPublicUrl(): string {
  const env = getEnv();
  if (env.AUTH_URL) return env.AUTH_URL.replace(/\/$/, "");
  return httpUrl(localAddress(env.MESHDECK_HOST), env.PORT);
}

export function isPostgres(url = getEnv().DATABASE_URL): boolean {
  return url.startsWith("postgres");
}

/** Metric rollup retention by window length in seconds. */
export function metricsRetainMs(env: TEnv): Record<number, number> {
  return { 10: env.MESHDECK_METRICS_RETAIN_10S, 60: env.MESHDECK_METRICS_RETAIN_1M, 3600: env.MESHDECK_METRICS_RETAIN_1H };
}
