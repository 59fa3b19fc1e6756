import { AppError } from "@/lib/errors";
import { roleAllows, roles, type TRole } from "./roles";

/**
 * The one vocabulary of what users and API tokens may do, read by every gate: API routes, server actions, pages, the
 * endpoints served beside Next and the compatibility APIs. `role` is the least role whose bundle holds it; `tokens`
 * says whether a token may be granted it; `scope`, what a token's grant of it may be narrowed to (docs/api-tokens.md).
 */
export const permissions = {
  "services.read": { role: "viewer", tokens: true },
  "events.read": { role: "viewer", tokens: true },
  "registry.register": { role: "operator", tokens: true, scope: "services" },
  "governance.change": { role: "operator", tokens: true, scope: "services" },
  // Silencing a service's notifications and retiring it from the catalog.
  "services.manage": { role: "operator", tokens: false },
  "config.read": { role: "viewer", tokens: true, scope: "namespaces" },
  "config.browse": { role: "viewer", tokens: false },
  "config.publish": { role: "operator", tokens: false },
  "config.export": { role: "operator", tokens: false },
  // A token holding it reads the content of secret items wherever its config.read reaches.
  "config.secrets": { role: "admin", tokens: true },
  "namespaces.manage": { role: "admin", tokens: false },
  "audit.read": { role: "viewer", tokens: true },
  "sources.read": { role: "viewer", tokens: false },
  "sources.manage": { role: "admin", tokens: false },
  // Operators see the data planes their drains reach; only admins point Meshdeck at a proxy.
  "dataplanes.read": { role: "operator", tokens: false },
  "dataplanes.manage": { role: "admin", tokens: false },
  "webhooks.manage": { role: "admin", tokens: false },
  // Alert rules on the signals (lib/alerts); reading them and the alerts is events.read.
  "alerts.manage": { role: "operator", tokens: false },
  "metrics.manage": { role: "admin", tokens: false },
  "tokens.manage": { role: "admin", tokens: false },
  "users.manage": { role: "admin", tokens: false },
  // One's own password: the one thing a user who must change it may do.
  "account.password": { role: "viewer", tokens: false },
  // One's own display choices (the theme).
  "account.preferences": { role: "viewer", tokens: false },
} as const satisfies Record<string, TPermissionSpec>;

type TPermissionSpec = { role: TRole; tokens: boolean; scope?: TScopeKind };
export type TScopeKind = "services" | "namespaces";
export type TPermission = keyof typeof permissions;

export const permissionNames = Object.keys(permissions) as TPermission[];

export function permissionSpec(permission: TPermission): TPermissionSpec {
  return permissions[permission];
}

/** Roles are named bundles of the vocabulary: each holds every permission whose least role it reaches. */
export const roleBundles = Object.fromEntries(
  roles.map((role) => [role, permissionNames.filter((permission) => roleAllows({ role, needs: permissions[permission].role }))]),
) as Record<TRole, TPermission[]>;

/** What an API token may be granted. */
export const tokenPermissions = permissionNames.filter((permission) => permissions[permission].tokens);

/**
 * One permission a token holds, narrowed or not: `services` are service-name patterns (Consul ACL service_prefix
 * style: `orders*` is every name starting with orders, `orders` that name alone, `*` all), `namespaces` config namespaces.
 */
export type TGrant = { permission: TPermission; services?: string[]; namespaces?: string[] };

/** What every token could do before tokens carried permissions; also what a token is given when none are named. */
export const serviceTokenGrants: TGrant[] = [
  { permission: "registry.register" },
  { permission: "services.read" },
  { permission: "events.read" },
  { permission: "config.read" },
];

/** Whether a user of this role may do it: for pages, to show the controls the server will accept. */
export function can({ role, permission }: { role: TRole; permission: TPermission }): boolean {
  return roleBundles[role].includes(permission);
}

export function matchesServicePattern(pattern: string, service: string): boolean {
  return pattern.endsWith("*") ? service.startsWith(pattern.slice(0, -1)) : service === pattern;
}

// Whoever acts, as the check sees them (lib/auth/actor.ts TActor is one).
type TChecked = { type: "system" } | { type: "user"; role: TRole } | { type: "token"; grants: readonly TGrant[] };
type TCheck = { actor: TChecked; permission: TPermission; service?: string; namespace?: string };

/** What the actor lacks to do `permission` (for the service or namespace, when one is named), in words; undefined if nothing. */
function missing({ actor, permission, service, namespace }: TCheck): string | undefined {
  const { role, tokens } = permissions[permission];
  if (actor.type === "system") return undefined;
  if (actor.type === "user") return can({ role: actor.role, permission }) ? undefined : `this needs the ${role} role; you are ${actor.role}`;
  const grants = actor.grants.filter((grant) => grant.permission === permission);
  if (grants.length === 0) {
    return tokens
      ? `this API token lacks ${permission}`
      : `this API token lacks ${permission}, which tokens cannot hold; sign in as a user with the ${role} role`;
  }
  if (service !== undefined && !grants.some((grant) => !grant.services || grant.services.some((pattern) => matchesServicePattern(pattern, service)))) {
    return `this API token lacks ${permission} for service '${service}'`;
  }
  if (namespace !== undefined && !grants.some((grant) => !grant.namespaces || grant.namespaces.includes(namespace))) {
    return `this API token lacks ${permission} for namespace '${namespace}'`;
  }
  return undefined;
}

/** Whether the actor may do it (for this service or namespace, when one is named): to filter, never to gate. */
export function permits(check: TCheck): boolean {
  return missing(check) === undefined;
}

/**
 * The one check: refuses (403) an actor who may not do `permission`, naming what is missing. A user is judged by role;
 * a token by its grants, and, where a service or namespace is named, by the grant's scope. Without one named, a token
 * passes on any grant of the permission: the endpoint then checks each service or namespace it reaches.
 */
export function assertPermission(check: TCheck) {
  const lacking = missing(check);
  if (lacking) throw new AppError("forbidden", lacking);
}

/** Whether a token's grant of `permission` reaches every service and namespace, so no per-resource check is needed. */
export function unscoped({ actor, permission }: { actor: TChecked; permission: TPermission }): boolean {
  return actor.type !== "token" || actor.grants.some((grant) => grant.permission === permission && !grant.services && !grant.namespaces);
}

/** Refuses (403) a user who must change the password an administrator set before doing anything but that. */
export function assertPasswordCurrent({ user, permission }: { user: { mustChangePassword: boolean }; permission: TPermission }) {
  if (user.mustChangePassword && permission !== "account.password") throw new AppError("forbidden", "change your password first (at /change-password)");
}
