// The Meshdeck app the benchmark routes through: the committed tree (HEAD) built in a directory of its own
// under the system temp dir, so a run neither rebuilds nor reads the working tree's .next, which tests or
// `npm start` on this machine may be using, and measures exactly one commit. The build is kept per
// state of the app's sources: a second run, or one after commits that touched only docs or tests, starts at once.
// Not under the checkout: Next.js would take the checkout's lockfile for the workspace root. node_modules is
// a hard-linked copy (seconds, no space): a symlink is not matched by .gitignore's `node_modules/`, and
// Tailwind's source scan then walks all of it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiClient, signIn } from "../../tests/support/client";
import type { TAppTarget } from "../../tests/support/start-app";
import { freePort, waitFor } from "../shared/process";

export type TBuiltApp = { dir: string; commit: string; builtFrom: string; built: boolean; buildSeconds: number | null; dirty: string[] };

// What the app, the gateway and the collector are built or run from.
const sources = [
  "app",
  "components",
  "lib",
  "gateway",
  "collector",
  "demo",
  "prisma",
  "scripts",
  "instrumentation.ts",
  "server.mjs",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

function run(command: string, args: string[], { cwd, logFile, env = {} }: { cwd: string; logFile: string; env?: Record<string, string> }) {
  const out = openSync(logFile, "a");
  const result = spawnSync(command, args, { cwd, stdio: ["ignore", out, out], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed in ${cwd} (exit ${result.status ?? result.signal}); see ${logFile}`);
}

/** Extracts HEAD under `<tmpdir>/meshdeck-bench-gateway-app/<sources hash>`, generates the Prisma clients and builds it, unless those sources are built already. */
export function prepareApp({ root, logFile, log }: { root: string; logFile: string; log: (message: string) => void }): TBuiltApp {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" }).stdout.trim();
  const commit = git("rev-parse", "HEAD");
  if (!/^[0-9a-f]{40}$/.test(commit)) throw new Error("not a git checkout: the benchmark builds the committed tree (HEAD)");
  // What the run does not measure: uncommitted changes to the app's sources.
  const dirty = git("status", "--porcelain", "--", ...sources)
    .split("\n")
    .filter(Boolean);
  const key = createHash("sha1")
    .update(git("ls-tree", "-r", "HEAD", "--", ...sources))
    .digest("hex")
    .slice(0, 16);
  const parent = join(tmpdir(), "meshdeck-bench-gateway-app");
  const dir = join(parent, key);
  const marker = join(dir, ".bench-built-from");
  if (existsSync(marker)) return { dir, commit, builtFrom: readFileSync(marker, "utf8").trim(), built: false, buildSeconds: null, dirty };

  // Builds of other commits are this benchmark's own: one is kept at a time.
  mkdirSync(parent, { recursive: true });
  for (const entry of readdirSync(parent)) rmSync(join(parent, entry), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  log(`building commit ${commit.slice(0, 12)} in ${dir} (prisma generate, next build; log in ${logFile})`);
  const archive = spawnSync("bash", ["-c", `git archive --format=tar HEAD | tar -x -C ${JSON.stringify(dir)}`], { cwd: root, encoding: "utf8" });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr}`);
  run("cp", ["-al", join(root, "node_modules"), join(dir, "node_modules")], { cwd: dir, logFile });
  run(process.execPath, ["scripts/prisma-generate.mjs"], { cwd: dir, logFile });
  run(join(dir, "node_modules", ".bin", "next"), ["build"], { cwd: dir, logFile });
  writeFileSync(marker, `${commit}\n`);
  return { dir, commit, builtFrom: commit, built: true, buildSeconds: (Date.now() - started) / 1000, dirty };
}

export type TRunningApp = { child: ChildProcess; baseUrl: string };

/** server.mjs of the built app on 127.0.0.1:port, in its own process group (with any children), on a fresh SQLite file. */
export async function startMeshdeck({
  dir,
  port,
  databaseFile,
  admin,
  logFile,
  env = {},
}: {
  dir: string;
  port: number;
  databaseFile: string;
  admin: { email: string; password: string };
  logFile: string;
  /** Over the defaults below, e.g. MESHDECK_COLLECTOR=off. */
  env?: Record<string, string>;
}): Promise<TRunningApp> {
  const baseUrl = `http://127.0.0.1:${port}`;
  const out = openSync(logFile, "a");
  const child = spawn("bash", ["scripts/serve.sh"], {
    cwd: dir,
    detached: true,
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: `file:${databaseFile}`,
      PORT: String(port),
      MESHDECK_HOST: "127.0.0.1",
      MESHDECK_DEMO: "0",
      // The benchmark starts the gateway itself, to know its pid and measure its CPU apart from the app's.
      MESHDECK_GATEWAY: "off",
      MESHDECK_ADMIN_EMAIL: admin.email,
      MESHDECK_ADMIN_PASSWORD: admin.password,
      MESHDECK_LOG_LEVEL: "info",
      ...env,
    },
  });
  await waitFor(
    `Meshdeck at ${baseUrl}/api/healthz`,
    90_000,
    async () => {
      if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}; see ${logFile}`);
      const response = await fetch(`${baseUrl}/api/healthz`);
      return response.ok ? true : null;
    },
    250,
  );
  return { child, baseUrl };
}

/**
 * The built app started on a fresh SQLite file in `runDir` with a generated administrator, signed in: an admin
 * session and an API token named `tokenName`, for the benchmarks that drive Meshdeck through its API.
 */
export async function startSignedIn({ dir, runDir, tokenName, env }: { dir: string; runDir: string; tokenName: string; env?: Record<string, string> }) {
  const admin = { email: "bench@meshdeck.test", password: `bench-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}` };
  const databaseFile = join(runDir, "meshdeck.db");
  const logFile = join(runDir, "app.log");
  const meshdeck = await startMeshdeck({ dir, port: await freePort(), databaseFile, admin, logFile, env });
  const target: TAppTarget = { name: "bench", baseUrl: meshdeck.baseUrl, databaseUrl: `file:${databaseFile}`, admin };
  const { cookie } = await signIn(target, admin);
  if (!cookie) throw new Error(`could not sign in as ${admin.email}; see ${logFile}`);
  const session = apiClient(target, { cookie });
  const created = await session.post("/api/v1/tokens", { name: tokenName });
  if (created.status !== 201) throw new Error(`token creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const { token } = created.body as { token: string };
  return { meshdeck, target, session, token, api: apiClient(target, { token }) };
}
