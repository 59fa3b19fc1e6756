// Prisma 7 cannot diff or introspect offline; Prisma 6.19's WebAssembly engine (tools/prisma6) can.
//   node scripts/db-schema.mjs sql <sqlite|postgresql> [old.prisma]  print SQL from empty (or old) to schema.prisma
//   node scripts/db-schema.mjs check                                  exit 0 when DATABASE_URL's database matches schema.prisma
// PostgreSQL needs a reachable server (DATABASE_URL) even for `sql`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const tool = resolve("tools/prisma6");
const prisma = join(tool, "node_modules/.bin/prisma");
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false",
  PRISMA_QUERY_ENGINE_LIBRARY: "/bin/false",
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};

if (!existsSync(prisma)) execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--silent"], { cwd: tool, stdio: "inherit" });

// Prisma 6 wants a datasource url and no Prisma 7 generator; the models are what matter.
function forPrisma6(schema, provider) {
  return schema
    .replace(/generator client \{[^}]*\}\n/, "")
    .replace(/datasource db \{[^}]*\}/, `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}`);
}

function run(args, { exitCodes = [0] } = {}) {
  try {
    return { code: 0, out: execFileSync(prisma, args, { cwd: tool, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (error) {
    if (exitCodes.includes(error.status)) return { code: error.status, out: error.stdout };
    process.stderr.write(error.stderr ?? String(error));
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), "meshdeck-schema-"));
mkdirSync(join(tool, ".tmp"), { recursive: true });
const [command, providerArg, oldSchema] = process.argv.slice(2);
const url = process.env.DATABASE_URL ?? "";
const provider = providerArg ?? (url.startsWith("postgres") ? "postgresql" : "sqlite");
const target = join(work, "schema.prisma");
writeFileSync(target, forPrisma6(readFileSync("prisma/schema.prisma", "utf8"), provider));

try {
  if (command === "sql") {
    const from = oldSchema ? ["--from-schema-datamodel", join(work, "old.prisma")] : ["--from-empty"];
    if (oldSchema) writeFileSync(join(work, "old.prisma"), forPrisma6(readFileSync(oldSchema, "utf8"), provider));
    process.stdout.write(run(["migrate", "diff", ...from, "--to-schema-datamodel", target, "--script"]).out);
  } else if (command === "check") {
    if (!url) throw new Error("set DATABASE_URL to the database to check");
    // A sqlite url is relative to where the app runs, not to tools/prisma6.
    if (url.startsWith("file:")) env.DATABASE_URL = `file:${resolve(url.slice(5))}`;
    const live = join(work, "live.prisma");
    writeFileSync(live, `datasource db {\n  provider = "${provider}"\n  url      = env("DATABASE_URL")\n}\n`);
    run(["db", "pull", "--schema", live]);
    const diff = run(["migrate", "diff", "--from-schema-datamodel", live, "--to-schema-datamodel", target, "--script", "--exit-code"], { exitCodes: [2] });
    if (diff.code === 2) {
      process.stdout.write(`The database differs from prisma/schema.prisma; this SQL would close the gap:\n${diff.out}`);
      process.exitCode = 2;
    } else {
      process.stdout.write("The database matches prisma/schema.prisma.\n");
    }
  } else {
    throw new Error("usage: db-schema.mjs sql <sqlite|postgresql> [old.prisma] | check");
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
