import { XMLParser } from "fast-xml-parser";
import { AppError } from "@/lib/errors";
import { isNestedDeeperThan, MAX_JSON_DEPTH } from "@/lib/json-depth";

// Eureka's XML and JSON are one shape: an attribute is "@name" and an element's text "$" (port: {"$": 8080,
// "@enabled": "true"} is <port enabled="true">8080</port>), read so by the parser and written so by toXml.
const shape = { ignoreAttributes: false, attributeNamePrefix: "@", textNodeName: "$" } as const;

// Values stay strings (a version "1.10" is not a number); only the five predefined entities are read.
const parser = new XMLParser({ ...shape, parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false });

/** An XML body as Eureka's JSON shape; a DTD (entity expansion, external entities) or malformed XML is a 400, nothing read. */
export function parseXml(text: string): unknown {
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) throw new AppError("bad_request", "the XML body must not declare a DOCTYPE or entities");
  let value: unknown;
  try {
    value = parser.parse(text, true);
  } catch (error) {
    throw new AppError("bad_request", `the body is not well-formed XML: ${(error as Error).message}`);
  }
  if (isNestedDeeperThan(value)) throw new AppError("validation_failed", `the body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  return value;
}

// Characters XML 1.0 cannot carry at all, and names it cannot use as elements (a metadata key from another source).
// eslint-disable-next-line no-control-regex
const notXmlText = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const xmlName = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

// eslint-disable-next-line no-control-regex
const needsEscape = /[&<>"'\u0000-\u001F\uFFFE\uFFFF]/;

function escape(value: unknown): string {
  const text = String(value);
  // Most values (ids, ports, timestamps) have nothing to escape: tested once, not rewritten twice.
  if (!needsEscape.test(text)) return text;
  return text.replace(notXmlText, "").replace(/[&<>"']/g, (char) => escapes[char]!);
}

// Written by hand, not by a generic builder: the full registry of a large fleet is megabytes, written once per change.
function element(name: string, value: unknown, out: string[]) {
  if (!xmlName.test(name) || value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) element(name, item, out);
    return;
  }
  if (typeof value !== "object") {
    out.push(value === "" ? `<${name}/>` : `<${name}>${escape(value)}</${name}>`);
    return;
  }
  const entries = Object.entries(value);
  out.push(`<${name}`);
  for (const [key, item] of entries) if (key.startsWith("@") && xmlName.test(key.slice(1))) out.push(` ${key.slice(1)}="${escape(item)}"`);
  const children = entries.filter(([key]) => !key.startsWith("@"));
  if (children.length === 0) {
    out.push("/>");
    return;
  }
  out.push(">");
  for (const [key, item] of children) {
    if (key === "$") out.push(escape(item));
    else element(key, item, out);
  }
  out.push(`</${name}>`);
}

/** Eureka's JSON shape as its XML document: `{ applications: {...} }` is `<applications>...</applications>`. */
export function toXml(document: Record<string, unknown>): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  for (const [name, value] of Object.entries(document)) element(name, value, out);
  return out.join("");
}
