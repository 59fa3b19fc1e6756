import { z } from "zod";

// Every environment variable Meshdeck reads, validated once. README.md's configuration table lists them.
const ZEnv = z.object({
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
  MESHDECK_COLLECTOR: z.enum(["in-process", "off"]).default("in-process"),
  MESHDECK_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1, "must be at least 1").max(3650).default(30),
  MESHDECK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
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

/** Where a browser on this machine reaches the app: AUTH_URL when set, else the bound address. */
export function getPublicUrl(): string {
  const env = getEnv();
  if (env.AUTH_URL) return env.AUTH_URL.replace(/\/$/, "");
  const host = ["0.0.0.0", "::"].includes(env.MESHDECK_HOST) ? "127.0.0.1" : env.MESHDECK_HOST;
  return `http://${host.includes(":") ? `[${host}]` : host}:${env.PORT}`;
}

export function isPostgres(url = getEnv().DATABASE_URL): boolean {
  return url.startsWith("postgres");
}
