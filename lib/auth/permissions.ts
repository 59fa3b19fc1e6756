import { AppError } from "@/lib/errors";
import { roleAllows, type TRole } from "./roles";

/**
 * What each operation needs, read by every gate: API routes, server actions, pages and the watch served
 * beside Next. `role` is the least role a signed-in user needs; `tokens` says whether an API token (a service) may do it.
 */
export const permissions = {
  "services.read": { role: "viewer", tokens: true },
  "events.read": { role: "viewer", tokens: true },
  "registry.register": { role: "operator", tokens: true },
  "governance.change": { role: "operator", tokens: false },
  // Silencing a service's notifications and retiring it from the catalog.
  "services.manage": { role: "operator", tokens: false },
  "config.read": { role: "viewer", tokens: true },
  "config.browse": { role: "viewer", tokens: false },
  "config.publish": { role: "operator", tokens: false },
  "config.export": { role: "operator", tokens: false },
  "config.secrets": { role: "admin", tokens: false },
  "namespaces.manage": { role: "admin", tokens: false },
  "audit.read": { role: "viewer", tokens: false },
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
} as const satisfies Record<string, { role: TRole; tokens: boolean }>;

export type TPermission = keyof typeof permissions;

/** Whether a user of this role may do it: for pages, to show the controls the server will accept. */
export function can({ role, permission }: { role: TRole; permission: TPermission }): boolean {
  return roleAllows({ role, needs: permissions[permission].role });
}

/** Refuses (403) a caller who may not do it: a user by role, an API token unless tokens may. */
export function assertPermission({ caller, permission }: { caller: { type: "token" } | { type: "user"; role: TRole }; permission: TPermission }) {
  const { role, tokens } = permissions[permission];
  if (caller.type === "token") {
    if (!tokens) throw new AppError("forbidden", `API tokens cannot call this; sign in as a user with the ${role} role`);
  } else if (!roleAllows({ role: caller.role, needs: role })) {
    throw new AppError("forbidden", `this needs the ${role} role; you are ${caller.role}`);
  }
}

/** Refuses (403) a user who must change the password an administrator set before doing anything but that. */
export function assertPasswordCurrent({ user, permission }: { user: { mustChangePassword: boolean }; permission: TPermission }) {
  if (user.mustChangePassword && permission !== "account.password") throw new AppError("forbidden", "change your password first (at /change-password)");
}
