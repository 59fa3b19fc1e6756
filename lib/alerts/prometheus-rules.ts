import { stringify } from "yaml";
import { describeRule, exactDuration, shortWindowOf, type TAlertRule } from "./rule-schema";

// Meshdeck's rules as a Prometheus rule file, for teams that alert in Prometheus itself: PromQL over the standard
// http_request_duration_seconds histogram, with the service in a label (`service` unless told otherwise).

const metric = "http_request_duration_seconds";

/** "5m", "1h", "3d": the largest unit that divides the duration, as PromQL writes it. */
export const promDuration = (ms: number) => exactDuration(ms, { prom: true });

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The label matcher of the services a rule covers: one by name, or those with its tag as the export found them. */
function matcher({ rule, label, servicesOf }: { rule: TAlertRule; label: string; servicesOf: (tag: string) => string[] }): string | null {
  if (rule.service !== null) return `${label}=${JSON.stringify(rule.service)}`;
  const services = servicesOf(rule.tag ?? "");
  if (services.length === 0) return null;
  return `${label}=~${JSON.stringify(services.map(escapeRegex).join("|"))}`;
}

function expression(rule: TAlertRule, select: string, label: string): string {
  const over = (windowMs: number) => promDuration(windowMs);
  const requests = (windowMs: number, extra = "") => `sum by (${label}) (rate(${metric}_count{${select}${extra}}[${over(windowMs)}]))`;
  const errorRatio = (windowMs: number) => `(${requests(windowMs, ',code=~"5.."')} / ${requests(windowMs)})`;
  switch (rule.kind) {
    case "error-rate":
      return `${errorRatio(rule.windowMs)} * 100 > ${rule.threshold}`;
    case "p99":
      return `histogram_quantile(0.99, sum by (${label}, le) (rate(${metric}_bucket{${select}}[${over(rule.windowMs)}]))) * 1000 > ${rule.threshold}`;
    case "request-rate":
      return `${requests(rule.windowMs)} < ${rule.threshold}`;
    case "instances":
      return `count by (${label}) (up{${select}} == 1) < ${rule.threshold}`;
    case "burn-rate": {
      // The SRE workbook's multi-window alert: both windows burn the budget faster than the factor.
      const limit = Number((rule.threshold * (1 - (rule.objective ?? 99.9) / 100)).toPrecision(12));
      return `${errorRatio(rule.windowMs)} > ${limit}\nand\n${errorRatio(shortWindowOf(rule.windowMs))} > ${limit}`;
    }
  }
}

/** The `groups:` YAML `promtool check rules` accepts; a tag rule that matches no service is left out. */
export function toPrometheusRules({
  rules,
  servicesOf,
  label = "service",
  linkOf,
}: {
  rules: TAlertRule[];
  servicesOf: (tag: string) => string[];
  label?: string;
  linkOf: (rule: TAlertRule) => string;
}): string {
  const exported = rules.flatMap((rule) => {
    const select = matcher({ rule, label, servicesOf });
    if (!rule.enabled || select === null) return [];
    return [
      {
        alert: rule.name,
        expr: expression(rule, select, label),
        ...(rule.forMs > 0 ? { for: promDuration(rule.forMs) } : {}),
        labels: { severity: rule.severity, meshdeck_rule: rule.name },
        annotations: { summary: `${rule.service ?? `tag ${rule.tag}`}: ${describeRule(rule)}`, meshdeck_url: linkOf(rule) },
      },
    ];
  });
  return stringify({ groups: [{ name: "meshdeck", rules: exported }] }, { lineWidth: 0 });
}
