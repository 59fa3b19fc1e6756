"use client";

import { useActionState, useEffect, useEffectEvent, useState } from "react";
import { applyServicePolicy } from "../actions";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, ReasonField, SelectField } from "@/components/ui/field";
import { BALANCING_POLICIES, type TBalancingPolicy } from "@/lib/balancing";
import { formatShare } from "@/lib/health/takeover";
import { previewChange } from "@/lib/governance/preview";
import { countOf } from "@/lib/plural";
import type { TServiceDetail } from "@/lib/registry/service-detail";

const described: Record<TBalancingPolicy, string> = {
  "round-robin": "each instance in turn, weights ignored",
  "weighted-round-robin": "smooth weighted round-robin (nginx): exactly by weight, interleaved",
  random: "at random, in proportion to weight",
  "least-connections": "fewest requests in flight per unit of weight",
  p2c: "the less loaded of two instances drawn by weight",
  "consistent-hash": "by a request header's value on a weighted hash ring; the same key, the same instance",
};

/** The service's load-balancing policy and protection threshold, with the shares the chosen policy gives. */
export function PolicyCard({
  detail,
  canGovern,
  onApplied,
}: {
  detail: TServiceDetail;
  canGovern: boolean;
  onApplied: (outcome: "saved" | "conflict") => void;
}) {
  const { service } = detail;
  const [policy, setPolicy] = useState<TBalancingPolicy>(service.policy);
  const [hashHeader, setHashHeader] = useState(service.hashHeader ?? "");
  const [threshold, setThreshold] = useState(String(Math.round(service.protectionThreshold * 100)));
  const [reason, setReason] = useState("");
  const [state, formAction, pending] = useActionState(applyServicePolicy, undefined);
  // Only a new answer from the server counts, not a new callback.
  const applied = useEffectEvent(onApplied);
  useEffect(() => {
    if (state?.ok) applied("saved");
    else if (state?.code === "conflict") applied("conflict");
  }, [state]);

  const percent = Number(threshold);
  const thresholdError = threshold.trim() === "" || !Number.isFinite(percent) || percent < 0 || percent > 100 ? "must be between 0 and 100" : undefined;
  const headerError = policy === "consistent-hash" && !hashHeader.trim() ? "consistent-hash needs a header to hash" : undefined;
  // Each share needs every instance: shown when the whole service is on the page, else counted.
  const whole = detail.instances.length === service.counts.total;
  const shares = whole
    ? previewChange({
        policy,
        protectionThreshold: 0,
        selected: new Set(),
        change: { reset: true },
        instances: detail.instances.map(({ id, health, weight, enabled, registeredWeight, registeredEnabled }) => ({
          id,
          health,
          weight,
          enabled,
          registeredWeight,
          registeredEnabled,
        })),
      }).instances.filter((row) => row.after.takesTraffic)
    : null;
  const sharesText =
    shares === null
      ? `${countOf(service.counts.takingTraffic, "instance")} take traffic (Change traffic previews each one's share)`
      : shares.length === 0
        ? "no instance takes traffic"
        : shares.map((row) => `${row.id} ${formatShare(row.after.share)}`).join(", ");

  return (
    <Card title="Load balancing" className="mt-6">
      <form action={formAction} aria-label="Load balancing" className="space-y-3 p-4">
        <input type="hidden" name="name" value={service.name} />
        <input type="hidden" name="expectedVersion" value={service.governanceVersion} />
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="current-policy">
          Now: <strong>{service.policy}</strong>
          {service.hashHeader ? ` by header ${service.hashHeader}` : ""}, protection threshold {Math.round(service.protectionThreshold * 100)}%
        </p>
        {!canGovern && <p className="text-sm text-zinc-500 dark:text-zinc-400">Read-only: viewers cannot change the policy; an operator or admin can.</p>}
        <fieldset disabled={!canGovern || pending} className="flex flex-wrap items-end gap-4">
          <SelectField label="Policy" aria-label="Policy" name="policy" value={policy} onChange={(event) => setPolicy(event.target.value as TBalancingPolicy)}>
            {BALANCING_POLICIES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </SelectField>
          {policy === "consistent-hash" && (
            <Field
              label="Hash header"
              name="hashHeader"
              value={hashHeader}
              onChange={(event) => setHashHeader(event.target.value)}
              placeholder="x-user-id"
              error={headerError}
            />
          )}
          <Field
            label="Protection threshold (%)"
            name="protectionThreshold"
            type="number"
            min={0}
            max={100}
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
            error={thresholdError}
            className="w-44"
          />
          <ReasonField value={reason} onChange={setReason} className="min-w-56" />
          <Button type="submit" disabled={!canGovern || pending || Boolean(thresholdError) || Boolean(headerError)}>
            {pending ? "Saving…" : "Save policy"}
          </Button>
        </fieldset>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {described[policy]}. Shares now: {sharesText}. A change leaving fewer than the threshold&apos;s share of instances taking traffic needs forcing.
        </p>
        {state && !state.ok && <FormError message={state.code === "conflict" ? `${state.error} The page now shows the current settings.` : state.error} />}
        {state?.ok && (
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            Saved: {state.data.policy}, protection threshold {Math.round(state.data.protectionThreshold * 100)}%.
          </p>
        )}
      </form>
    </Card>
  );
}
