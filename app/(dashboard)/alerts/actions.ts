"use server";

import { z } from "zod";
import { safeAction } from "@/lib/actions/safe-action";
import { previewAlertRule } from "@/lib/alerts/preview";
import { ZAlertRule } from "@/lib/alerts/rule-schema";
import { createAlertRule, deleteAlertRule } from "@/lib/alerts/rules";
import { AppError } from "@/lib/errors";
import { ZServiceName } from "@/lib/registry/schemas";

export const createAlertRuleAction = safeAction({ permission: "alerts.manage", schema: ZAlertRule }, async ({ input, user }) =>
  createAlertRule({ actor: user, input }),
);

export const deleteAlertRuleAction = safeAction({ permission: "alerts.manage", schema: z.object({ id: z.string().min(1).max(64) }) }, async ({ input, user }) =>
  deleteAlertRule({ actor: user, id: input.id }),
);

// Reads only: how the rule in the form would have fired over the last 24 h; stores nothing.
export const previewAlertRuleAction = safeAction(
  { permission: "events.read", schema: z.object({ rule: ZAlertRule, service: ZServiceName.optional() }) },
  async ({ input }) => {
    const service = input.rule.service ?? input.service;
    if (!service) throw new AppError("validation_failed", "choose a service of the tag to preview on", "service");
    return previewAlertRule({ input: input.rule, service });
  },
);
