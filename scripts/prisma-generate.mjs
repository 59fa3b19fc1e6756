// Generates the two Prisma clients (SQLite and PostgreSQL) from the one schema.prisma.
// The CLI wants a schema engine binary even for `generate`; it is never run, so /bin/false stands in.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const schema = readFileSync("prisma/schema.prisma", "utf8");
const postgres = schema.replace('provider = "sqlite"', 'provider = "postgresql"').replace('"../lib/db/generated/sqlite"', '"../../lib/db/generated/postgres"');
mkdirSync("prisma/.postgres", { recursive: true });
writeFileSync("prisma/.postgres/schema.prisma", postgres);

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const file of ["prisma/schema.prisma", "prisma/.postgres/schema.prisma"]) {
  execFileSync("node_modules/.bin/prisma", ["generate", "--schema", file], { env, stdio: ["ignore", "ignore", "inherit"] });
}
