import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { getEnv, isPostgres } from "@/lib/env";
import { processSingleton } from "@/lib/process-singleton";

// Secrets at rest (source passwords and TLS keys, webhook URLs, secret config values) are sealed with AES-256-GCM:
//   enc:v1:<key id>:<iv>:<tag>:<ciphertext>   (base64url parts; the key id is the first 8 hex digits of the key's sha256)
// Text without the prefix is a value written before encryption existed: it reads as it is, and the start-up step
// (reseal-secrets.ts) seals it. The key is MESHDECK_ENCRYPTION_KEY, or one generated on first start into a file
// beside the SQLite database (data/ for PostgreSQL), mode 0600; never in the database it protects.

export type TKey = { id: string; key: Buffer };
export type TKeyRing = { current: TKey; byId: Map<string, TKey> };

const prefix = "enc:v1:";
const sealedPattern = /^enc:v1:([0-9a-f]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;
export const KEY_FILE_NAME = "encryption.key";

export class SecretKeyError extends Error {
  override name = "SecretKeyError";
}

export const keyId = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 8);

/** A base64 key of 32 bytes, or an error saying what is wrong with it. */
export function parseKey(text: string, name: string): TKey {
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== 32) throw new SecretKeyError(`${name} must be 32 bytes in base64 (openssl rand -base64 32); it decodes to ${key.length} bytes`);
  return { id: keyId(key), key };
}

export function keyRingOf(current: TKey, previous: TKey[] = []): TKeyRing {
  const byId = new Map<string, TKey>();
  for (const key of [...previous, current]) byId.set(key.id, key);
  return { current, byId };
}

/** Where the generated key lives: beside the SQLite file, or in data/ under the working directory for PostgreSQL. */
export function keyFilePath(databaseUrl: string): string {
  if (isPostgres(databaseUrl)) return resolve("data", KEY_FILE_NAME);
  return join(dirname(resolve(databaseUrl.slice("file:".length))), KEY_FILE_NAME);
}

/** The key file's key, made (0600, never overwritten: several processes may start at once) when there is none. */
export function readOrCreateKeyFile(path: string): TKey {
  try {
    return parseKey(readFileSync(path, "utf8"), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseKey(readFileSync(path, "utf8"), path);
}

/** This process's keys: the current one seals, every one opens what it sealed. Loaded once. */
export function keyRing(): TKeyRing {
  return processSingleton("meshdeck.secretKeys", () => {
    const env = getEnv();
    const current = env.MESHDECK_ENCRYPTION_KEY
      ? parseKey(env.MESHDECK_ENCRYPTION_KEY, "MESHDECK_ENCRYPTION_KEY")
      : readOrCreateKeyFile(keyFilePath(env.DATABASE_URL));
    const previous = env.MESHDECK_ENCRYPTION_KEY_PREVIOUS.map((text, index) => parseKey(text, `MESHDECK_ENCRYPTION_KEY_PREVIOUS[${index}]`));
    return keyRingOf(current, previous);
  });
}

const b64 = (buffer: Buffer) => buffer.toString("base64url");

/** `plain` sealed under the current key; a new random IV every time, so equal secrets never look alike. */
export function sealSecret(plain: string, ring: TKeyRing = keyRing()): string {
  const iv = randomBytes(12);
  const header = `${prefix}${ring.current.id}`;
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  // The header is authenticated too: a ciphertext cannot be passed off as another key's.
  cipher.setAAD(Buffer.from(header));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${header}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ciphertext)}`;
}

export const isSealed = (stored: string) => sealedPattern.test(stored);

/** Whether a stored value should be sealed again: plain text from before, or sealed under a key that is not the current one. */
export function needsResealing(stored: string, ring: TKeyRing = keyRing()): boolean {
  const match = sealedPattern.exec(stored);
  return !match || match[1] !== ring.current.id;
}

/** A stored value as it was written: opened when sealed, as it is when plain. Throws when the key is missing or the value was altered. */
export function openSecret(stored: string, ring: TKeyRing = keyRing()): string {
  const match = sealedPattern.exec(stored);
  if (!match) return stored;
  const [, id, iv, tag, ciphertext] = match as unknown as [string, string, string, string, string];
  const key = ring.byId.get(id);
  if (!key)
    throw new SecretKeyError(
      `a secret is sealed under key ${id}, which this process does not have: set it in MESHDECK_ENCRYPTION_KEY or MESHDECK_ENCRYPTION_KEY_PREVIOUS`,
    );
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`${prefix}${id}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretKeyError(`a secret sealed under key ${id} does not open: it was altered, or the key is not the one it was sealed with`);
  }
}

/** `value` sealed, or null left null: for nullable columns. */
export const sealNullable = (value: string | null, ring?: TKeyRing) => (value === null ? null : sealSecret(value, ring));

// Keys for keyed digests, derived from the current key so that no second secret needs keeping.
const derived = (ring: TKeyRing, purpose: string) => Buffer.from(hkdfSync("sha256", ring.current.key, Buffer.alloc(0), `meshdeck ${purpose} v1`, 32));

/** A keyed digest of content (HMAC-SHA256, hex): names a version without letting anyone test guesses of a secret. */
export function contentDigest(content: string, ring: TKeyRing = keyRing()): string {
  return createHmac("sha256", derived(ring, "content digest")).update(content).digest("hex");
}

/** An opaque tag for `parts` (an item and its version): stable while they are, and telling nothing about content. */
export function opaqueTag(parts: readonly (string | number)[], ring: TKeyRing = keyRing()): string {
  return createHmac("sha256", derived(ring, "etag")).update(parts.join("\u0000")).digest("base64url").slice(0, 22);
}
