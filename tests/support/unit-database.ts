// Each unit test file gets its own SQLite database, made by the committed migrations.
import { mkdirSync } from "node:fs";

mkdirSync(".tmp", { recursive: true });
process.env.DATABASE_URL = `file:.tmp/unit-${process.pid}-${Math.random().toString(36).slice(2)}.db`;
process.env.MESHDECK_LOG_LEVEL = "error";
