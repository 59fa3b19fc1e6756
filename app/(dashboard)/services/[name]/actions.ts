"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { formText, safeAction, safeFormAction } from "@/lib/actions/safe-action";
import { retireService } from "@/lib/catalog/retire-service";
import { changeInstances, previewInstanceChange } from "@/lib/governance/change-instances";
import { ZChangeInstances, ZSetServicePolicy } from "@/lib/governance/schemas";
import { setServicePolicy } from "@/lib/governance/set-service-policy";
import { createSilence, liftSilence, ZCreateSilence } from "@/lib/notify/silences";
import { ZServiceName } from "@/lib/registry/schemas";
import { ZSetServiceObjectives } from "@/lib/status/objectives";
import { setServiceObjectives } from "@/lib/status/set-service-objectives";
import { isTrafficMode, toChange } from "./_components/traffic-change";

// The chosen instances come as `expected.<id>` fields, each with the override version the page showed; "all matching"
// comes as the table's filters instead (`match.q`, `match.health`, ...), which the selector applies in SQL.
function readTrafficForm(form: FormData) {
  const expected = [...form.keys()]
    .filter((name) => name.startsWith("expected."))
    .map((name) => [name.slice("expected.".length), Number(formText(form, name))] as const);
  const match = (name: string) => formText(form, `match.${name}`) || undefined;
  const enabled = match("enabled");
  const filter = { q: match("q"), health: match("health"), enabled: enabled === undefined ? undefined : enabled === "true", tag: match("tag") };
  const mode = formText(form, "mode");
  const expiresIn = formText(form, "expiresIn");
  const reason = formText(form, "reason").trim();
  return {
    selector: {
      service: formText(form, "service"),
      ...(expected.length > 0 ? { ids: expected.map(([id]) => id) } : {}),
      ...(form.get("match") === "all" ? filter : {}),
    },
    // An unknown mode changes nothing, and the schema says so.
    change: isTrafficMode(mode) ? toChange(mode, Number(formText(form, "weight"))) : {},
    ...(expiresIn && mode !== "reset" ? { expiresIn } : {}),
    ...(reason ? { reason } : {}),
    force: form.get("force") === "on",
    ...(expected.length > 0 ? { expected: Object.fromEntries(expected) } : {}),
  };
}

// What a page shows of the changed instances: the count, and the first few by name.
const shownChanged = 5;

export const applyInstanceChange = safeFormAction(
  { permission: "governance.change", schema: ZChangeInstances, readForm: readTrafficForm },
  async ({ input, user }) => {
    const result = await changeInstances({ actor: user, input });
    for (const service of new Set(result.changed.map((row) => row.service))) revalidatePath(`/services/${service}`);
    return { count: result.changed.length, changed: result.changed.slice(0, shownChanged), forced: result.forced };
  },
);

// The preview of a change, as the guard will judge it: computed on the server, so no page holds every instance.
export const previewTrafficChange = safeAction({ permission: "governance.change", schema: ZChangeInstances }, ({ input }) => previewInstanceChange({ input }));

// The threshold is typed as a percentage; a hash header is sent only with consistent-hash.
function readPolicyForm(form: FormData) {
  const policy = formText(form, "policy");
  const reason = formText(form, "reason").trim();
  return {
    name: formText(form, "name"),
    settings: {
      policy,
      ...(policy === "consistent-hash" ? { hashHeader: formText(form, "hashHeader").trim() } : {}),
      protectionThreshold: Number(formText(form, "protectionThreshold")) / 100,
      expectedVersion: Number(formText(form, "expectedVersion")),
      ...(reason ? { reason } : {}),
    },
  };
}

export const applyServicePolicy = safeFormAction(
  { permission: "governance.change", schema: z.object({ name: ZServiceName, settings: ZSetServicePolicy }), readForm: readPolicyForm },
  async ({ input, user }) => {
    const result = await setServicePolicy({ actor: user, name: input.name, input: input.settings });
    revalidatePath(`/services/${input.name}`);
    return result;
  },
);

export const addServiceSilence = safeFormAction(
  {
    permission: "services.manage",
    schema: z.object({ service: ZServiceName, silence: ZCreateSilence }),
    readForm: (form) => {
      const instanceId = formText(form, "instanceId").trim();
      return {
        service: formText(form, "service"),
        silence: { ...(instanceId ? { instanceId } : {}), duration: formText(form, "duration"), reason: formText(form, "reason") },
      };
    },
  },
  async ({ input, user }) => {
    const silence = await createSilence({ actor: user, service: input.service, input: input.silence });
    revalidatePath(`/services/${input.service}`);
    return silence;
  },
);

export const liftServiceSilence = safeAction({ permission: "services.manage", schema: z.object({ id: z.string().max(64) }) }, async ({ input, user }) => {
  await liftSilence({ actor: user, id: input.id });
  return { id: input.id };
});

export const retireServiceAction = safeAction(
  { permission: "services.manage", schema: z.object({ name: ZServiceName, reason: z.string().trim().min(1, "say why it is retired").max(500) }) },
  async ({ input, user }) => {
    const result = await retireService({ actor: user, name: input.name, reason: input.reason });
    revalidatePath("/services");
    return result;
  },
);

// Objectives are typed as percentages and milliseconds; an empty field puts the objective back to its default.
function readObjectivesForm(form: FormData) {
  const number = (name: string, scale = 1) => {
    const text = formText(form, name).trim();
    return text === "" ? null : Number(text) / scale;
  };
  const reason = formText(form, "reason").trim();
  return {
    name: formText(form, "name"),
    objectives: { errorRate: number("errorRate", 100), p99Ms: number("p99Ms"), availability: number("availability", 100), ...(reason ? { reason } : {}) },
  };
}

export const setObjectivesAction = safeFormAction(
  { permission: "services.manage", schema: z.object({ name: ZServiceName, objectives: ZSetServiceObjectives }), readForm: readObjectivesForm },
  async ({ input, user }) => {
    const result = await setServiceObjectives({ actor: user, name: input.name, input: input.objectives });
    revalidatePath(`/services/${input.name}`);
    return result;
  },
);
