import { z } from "zod";
import { ZNamespaceName } from "@/lib/config/schemas";
import { permissionSpec, tokenPermissions, type TGrant } from "./permissions";

// What a token is granted, as a client sends it and as the database holds it (ApiToken.permissions, JSON).

// A service-name pattern: a name, a prefix ending in `*` (Consul ACL's service_prefix), or `*` for every service.
const ZServicePattern = z
  .string()
  .min(1, "must not be empty")
  .max(129, "must be at most 129 characters")
  .regex(/^(?:\*|[A-Za-z0-9][A-Za-z0-9._-]*\*?)$/, "must be a service name, a prefix ending in '*' (orders*), or '*'");

const ZScopeList = (item: z.ZodString) =>
  z
    .array(item)
    .min(1, "must name at least one; leave it out for all")
    .max(50, "must name at most 50")
    .transform((list) => (list.includes("*") ? undefined : [...new Set(list)]));

export const ZGrant = z
  .strictObject({
    permission: z.enum(tokenPermissions as [(typeof tokenPermissions)[number], ...(typeof tokenPermissions)[number][]], {
      error: `must be one a token may hold: ${tokenPermissions.join(", ")}`,
    }),
    services: ZScopeList(ZServicePattern).optional(),
    namespaces: ZScopeList(ZNamespaceName).optional(),
  })
  .refine(({ permission, services }) => !services || permissionSpec(permission).scope === "services", {
    message: "only registry.register and governance.change are narrowed to services",
    path: ["services"],
  })
  .refine(({ permission, namespaces }) => !namespaces || permissionSpec(permission).scope === "namespaces", {
    message: "only config.read is narrowed to namespaces",
    path: ["namespaces"],
  })
  .transform(({ permission, services, namespaces }): TGrant => ({ permission, ...(services ? { services } : {}), ...(namespaces ? { namespaces } : {}) }));

export const ZGrants = z
  .array(ZGrant)
  .min(1, "must grant at least one permission")
  .max(tokenPermissions.length, `must grant at most ${tokenPermissions.length} permissions`)
  .refine((grants) => new Set(grants.map(({ permission }) => permission)).size === grants.length, "must name each permission once");
