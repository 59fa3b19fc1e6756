// Meshdeck's write-through for Dubbo: a typed item in the service's Dubbo 2.7+ configurator document, in the
// form Dubbo Admin writes its weight items (OverrideUtils.weightDTOtoConfig: type, enabled, side: provider,
// addresses, parameters). `type: meshdeck` marks Meshdeck's own items: everything else in the document is kept
// as written, and resetting an override removes only Meshdeck's item for that address.
import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, type YAMLMap } from "yaml";
import type { TSourceOverride } from "../types";
import { colonSeparatedKey, serviceKey } from "./dubbo-url";

export const meshdeckItemType = "meshdeck";

export type TDubboServiceParts = { interface: string; version?: string; group?: string };

/** Where Dubbo's clients read a service's rules: the config center's `dubbo` group under the registry root. */
export function configuratorsPath(prefix: string, parts: TDubboServiceParts): string {
  return `${prefix.replace(/\/+$/, "")}/config/dubbo/${colonSeparatedKey(parts)}.configurators`;
}

export class ConfiguratorsConflict extends Error {}

// `[a, b]` and `{k: v}` as Dubbo's documentation and Dubbo Admin's dumps write flow collections.
const stringifyOptions = { flowCollectionPadding: false };

function isMeshdeckItemFor(node: unknown, address: string): boolean {
  if (!isMap(node) || node.get("type") !== meshdeckItemType) return false;
  const addresses = node.get("addresses");
  return isSeq(addresses) && addresses.items.length === 1 && isScalar(addresses.items[0]) && String(addresses.items[0].value) === address;
}

function meshdeckItem(doc: Document.Parsed | Document, address: string, override: TSourceOverride) {
  const parameters = {
    ...(override.weight === null ? {} : { weight: override.weight }),
    ...(override.enabled === null ? {} : { disabled: !override.enabled }),
  };
  const item = doc.createNode({ type: meshdeckItemType, enabled: true, addresses: [address], side: "provider", parameters }) as YAMLMap;
  // Quoted, so no YAML 1.1 reader (Dubbo's SnakeYAML) takes host:port for anything but a string.
  const addresses = item.get("addresses");
  if (isSeq(addresses)) for (const scalar of addresses.items) if (scalar instanceof Scalar) scalar.type = Scalar.QUOTE_DOUBLE;
  return item;
}

/**
 * The document with Meshdeck's item for `address` set to the override (or removed when both fields are null).
 * Null: the document holds no rule any more and its node is to be deleted. Throws ConfiguratorsConflict on a
 * document that is not a configurator mapping, rather than overwrite what someone else wrote.
 */
export function mergeMeshdeckOverride(existing: string | null, args: { parts: TDubboServiceParts; address: string; override: TSourceOverride }): string | null {
  const empty = args.override.weight === null && args.override.enabled === null;
  if (existing === null || existing.trim() === "") {
    if (empty) return null;
    const doc = new Document({ configVersion: "v2.7", scope: "service", key: serviceKey(args.parts), enabled: true, configs: [] });
    const configs = doc.get("configs");
    if (isSeq(configs)) configs.items.push(meshdeckItem(doc, args.address, args.override));
    return doc.toString(stringifyOptions);
  }
  const doc = parseDocument(existing);
  if (doc.errors.length > 0) throw new ConfiguratorsConflict(`it is not valid YAML (${doc.errors[0]!.message.split("\n")[0]})`);
  if (!isMap(doc.contents)) throw new ConfiguratorsConflict("it is not a configurator document (a YAML mapping)");
  let configs = doc.get("configs");
  if (configs === undefined || configs === null) {
    doc.set("configs", doc.createNode([]));
    configs = doc.get("configs");
  }
  if (!isSeq(configs)) throw new ConfiguratorsConflict("its configs is not a list");
  const kept = configs.items.filter((item) => !isMeshdeckItemFor(item, args.address));
  // Nothing of Meshdeck's to change: the document stays byte for byte as its authors wrote it.
  if (empty && kept.length === configs.items.length) return existing;
  configs.items = kept;
  // Appended last, so among rules for the same host Meshdeck's latest choice is the one Dubbo applies last.
  if (!empty) configs.items.push(meshdeckItem(doc, args.address, args.override));
  return configs.items.length === 0 ? null : doc.toString(stringifyOptions);
}
