import "server-only";
import { getPublicUrl } from "@/lib/env";
import { listAlertRules, servicesByTag } from "./rules";
import { toPrometheusRules } from "./prometheus-rules";

/** Every rule as a Prometheus rule file; a tag rule names the services that carry its tag now (one grouped read per tag). */
export async function exportPrometheusRules({ label }: { label: string }): Promise<string> {
  const rules = await listAlertRules();
  const byTag = await servicesByTag(rules);
  const base = getPublicUrl();
  return toPrometheusRules({
    rules,
    label,
    servicesOf: (tag) => byTag.get(tag) ?? [],
    linkOf: (rule) => (rule.service ? `${base}/services/${encodeURIComponent(rule.service)}` : `${base}/alerts`),
  });
}
