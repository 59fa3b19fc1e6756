// The Nacos config listener's wire format: records split by U+0001, fields by U+0002 (dataId, group, md5[, tenant]).
import { AppError } from "@/lib/errors";

const line = "\u0001";
const word = "\u0002";
/** The most items one listener may name: each is checked on every change. */
export const maxListenedConfigs = 500;

export type TListenedConfig = { dataId: string; group: string; md5: string; tenant: string };

/** The `Listening-Configs` field's records; a malformed one is a 400, and so are more than maxListenedConfigs. */
export function parseListeningConfigs(text: string): TListenedConfig[] {
  const records = text.split(line).filter((record) => record !== "");
  if (records.length === 0) throw new AppError("bad_request", "Listening-Configs: must name at least one config", "Listening-Configs");
  if (records.length > maxListenedConfigs) {
    throw new AppError("bad_request", `Listening-Configs: must name at most ${maxListenedConfigs} configs`, "Listening-Configs");
  }
  return records.map((record, index) => {
    const fields = record.split(word);
    if (fields.length !== 3 && fields.length !== 4) {
      throw new AppError("bad_request", `Listening-Configs: record ${index + 1} must be dataId^2group^2md5[^2tenant]`, "Listening-Configs");
    }
    const [dataId, group, md5, tenant = ""] = fields as [string, string, string, string?];
    if (md5 !== "" && !/^[0-9a-f]{32}$/.test(md5))
      throw new AppError("bad_request", `Listening-Configs: record ${index + 1} has a malformed md5`, "Listening-Configs");
    return { dataId, group, md5, tenant };
  });
}

/** The listener's answer: the changed configs as `dataId^2group[^2tenant]^1` records, URL-encoded ("" when none). */
export function changedConfigsAnswer(changed: { dataId: string; group: string; tenant: string }[]): string {
  return encodeURIComponent(changed.map(({ dataId, group, tenant }) => [dataId, group, ...(tenant ? [tenant] : [])].join(word) + line).join(""));
}
