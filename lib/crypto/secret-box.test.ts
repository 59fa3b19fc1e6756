import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { keyFilePath, keyRingOf, needsResealing, openSecret, parseKey, readOrCreateKeyFile, sealSecret } from "./secret-box";

const newKey = () => parseKey(Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64"), "test");

describe("secret box", () => {
  const ring = keyRingOf(newKey());

  test.each(["hunter2", "", "ünïcödé 🔑", "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n", "x".repeat(100_000)])(
    "round trip of %#",
    (plain) => {
      const sealed = sealSecret(plain, ring);
      expect(sealed).toMatch(new RegExp(`^enc:v1:${ring.current.id}:`));
      if (plain.length > 3) expect(sealed).not.toContain(plain);
      expect(openSecret(sealed, ring)).toBe(plain);
    },
  );

  test("the same secret seals differently every time", () => {
    expect(sealSecret("same", ring)).not.toBe(sealSecret("same", ring));
  });

  test("plain text from before encryption reads as it is, and wants sealing", () => {
    expect(openSecret("an old password", ring)).toBe("an old password");
    expect(needsResealing("an old password", ring)).toBe(true);
    expect(needsResealing(sealSecret("x", ring), ring)).toBe(false);
  });

  test("an altered value does not open", () => {
    const sealed = sealSecret("transfer 100", ring);
    const parts = sealed.split(":");
    const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
    for (const index of [3, 4, 5]) {
      const altered = parts.map((part, at) => (at === index ? flip(part) : part)).join(":");
      expect(() => openSecret(altered, ring), `part ${index}`).toThrow(/does not open/);
    }
  });

  test("a value sealed under a key this process lacks is refused, naming the key", () => {
    const other = keyRingOf(newKey());
    expect(() => openSecret(sealSecret("x", other), ring)).toThrow(new RegExp(`key ${other.current.id}, which this process does not have`));
  });

  test("the wrong key under the right id does not open", () => {
    const stolenId = { id: ring.current.id, key: newKey().key };
    expect(() => openSecret(sealSecret("x", ring), keyRingOf(stolenId))).toThrow(/does not open/);
  });

  test("rotation: the previous key still opens, and its values want sealing under the new one", () => {
    const rotated = keyRingOf(newKey(), [ring.current]);
    const old = sealSecret("before rotation", ring);
    expect(openSecret(old, rotated)).toBe("before rotation");
    expect(needsResealing(old, rotated)).toBe(true);
    const resealed = sealSecret(openSecret(old, rotated), rotated);
    expect(needsResealing(resealed, rotated)).toBe(false);
    expect(() => openSecret(resealed, ring)).toThrow(/does not have/);
  });

  test.each(["", "c2hvcnQ=", "not base64 at all"])("a key that is not 32 bytes is refused: %j", (text) => {
    expect(() => parseKey(text, "MESHDECK_ENCRYPTION_KEY")).toThrow(/must be 32 bytes/);
  });

  test("a generated key file is 0600, beside the SQLite file, and kept across starts", () => {
    const dir = mkdtempSync(join(tmpdir(), "meshdeck-key-"));
    const path = keyFilePath(`file:${dir}/db/meshdeck.db`);
    expect(path).toBe(join(dir, "db", "encryption.key"));
    const first = readOrCreateKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readOrCreateKeyFile(path).id).toBe(first.id);
    expect(Buffer.from(readFileSync(path, "utf8").trim(), "base64")).toHaveLength(32);
    expect(keyFilePath("postgresql://localhost/meshdeck")).toMatch(/data\/encryption\.key$/);
  });
});
