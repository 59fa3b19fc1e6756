import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { AppError } from "@/lib/errors";
import { isNestedDeeperThan, MAX_JSON_DEPTH } from "@/lib/json-depth";

// Eureka's XML and JSON are one shape: an attribute is "@name" and an element's text "$" (port: {"$": 8080,
// "@enabled": "true"} is <port enabled="true">8080</port>), so one mapping serves both ways.
const shape = { ignoreAttributes: false, attributeNamePrefix: "@", textNodeName: "$" } as const;

// Values stay strings (a version "1.10" is not a number); only the five predefined entities are read.
const parser = new XMLParser({ ...shape, parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false });
const builder = new XMLBuilder({ ...shape, suppressBooleanAttributes: false, suppressEmptyNode: true });

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

function xmlSafe(value: unknown): unknown {
  if (typeof value === "string") return value.replace(notXmlText, "");
  if (Array.isArray(value)) return value.map(xmlSafe);
  if (value && typeof value === "object") {
    const kept = Object.entries(value).filter(([key]) => key === "$" || xmlName.test(key.replace(/^@/, "")));
    return Object.fromEntries(kept.map(([key, item]) => [key, xmlSafe(item)]));
  }
  return value;
}

/** Eureka's JSON shape as its XML document: `{ applications: {...} }` is `<applications>...</applications>`. */
export function toXml(document: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(xmlSafe(document))}`;
}
