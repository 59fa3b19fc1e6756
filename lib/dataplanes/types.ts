// The shapes shared by data planes: what an administrator configures, and what the drivers read and report.

export const dataPlaneKinds = ["haproxy", "nginx"] as const;
export type TDataPlaneKind = (typeof dataPlaneKinds)[number];

/** Whose health decides: Meshdeck's own (forced on the proxy's servers), or the proxy's own checks. */
export const healthModes = ["meshdeck", "haproxy"] as const;
export type THealthMode = (typeof healthModes)[number];

/** Service name to backend name; null: the naming rule, backend `<service>` for every backend the proxy has. */
export type TBackendMap = Record<string, string> | null;
