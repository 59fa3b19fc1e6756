// HashiCorp's consul-api-double fixtures, rendered as its own server renders them: each file is a JavaScript
// template literal over `range`, `env`, `fake` (faker) and `location` (whose pathname slices by path segment).
// A seeded stand-in for faker keeps the answers reproducible; the shapes are HashiCorp's.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { runInNewContext } from "node:vm";
import { seededRandom } from "./seeded-random";

const root = dirname(createRequire(import.meta.url).resolve("@hashicorp/consul-api-double/package.json"));

function fakeOf(random: () => number) {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const number = ({ min = 0, max = 99_999 }: { min?: number; max?: number } = {}) => min + Math.floor(random() * (max - min + 1));
  const word = () => pick(["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]);
  return {
    internet: {
      ip: () => `10.${number({ max: 255 })}.${number({ max: 255 })}.${number({ min: 1, max: 254 })}`,
      ipv6: () => `fd00::${number({ max: 0xffff }).toString(16)}`,
      protocol: () => pick(["http", "https"]),
      userName: word,
      password: word,
      domainName: () => `${word()}.example`,
      userAgent: () => "Mozilla/5.0",
    },
    helpers: { randomize: pick },
    hacker: { noun: word },
    random: { number, boolean: () => random() < 0.5 },
    lorem: { paragraph: () => `${word()} ${word()} ${word()}.`, words: (count = 3) => Array.from({ length: count }, word).join(" ") },
    system: { fileName: () => `${word()}.txt` },
    address: { countryCode: () => pick(["GB", "DE", "US"]) },
  };
}

/** One fixture of the double, rendered for `path` (as requested, e.g. /v1/health/service/web) and parsed. */
export function renderDouble(fixture: string, path: string, { env = {}, seed = 1 }: { env?: Record<string, string | number>; seed?: number } = {}): unknown {
  const template = readFileSync(join(root, fixture), "utf8");
  const segments = path.split("/");
  const location = { pathname: { slice: (from: number) => segments.slice(from).join("/"), toString: () => path }, search: {} };
  const range = (count: number | string) => Array.from({ length: Number(count) }, (_, index) => index);
  const lookup = (name: string, fallback: unknown) => (name in env ? env[name] : fallback);
  // A new context per render: the template sees only what api-double's renderer gives it.
  const text = runInNewContext(`\`${template}\``, { range, env: lookup, fake: fakeOf(seededRandom(seed)), location }) as string;
  return JSON.parse(text);
}
