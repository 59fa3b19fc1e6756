// The test provider's people and what the app is told about them, apart from the provider itself so that
// playwright.config.ts can read them without loading the oidc-provider package.
export const oidcUsers = {
  ada: { email: "ada@idp.test", name: "Ada Admin", groups: ["mesh-admins", "staff"] },
  otto: { email: "otto@idp.test", name: "Otto Operator", groups: ["mesh-ops"] },
  una: { email: "una@idp.test", name: "Una Unmapped", groups: ["finance"] },
} as const;
export type TOidcLogin = keyof typeof oidcUsers;

export const oidcClientId = "meshdeck";
export const oidcName = "Test IdP";

// The roles env maps the groups above; `groups` is the claim.
export const oidcRoleEnv = { MESHDECK_OIDC_ROLE_CLAIM: "groups", MESHDECK_OIDC_ROLES: "mesh-admins=admin,mesh-ops=operator,mesh-view=viewer" };

/** The app's SSO settings for a provider at `issuer`. */
export function oidcAppEnv({ issuer, clientSecret }: { issuer: string; clientSecret: string }): Record<string, string> {
  return {
    MESHDECK_OIDC_ISSUER: issuer,
    MESHDECK_OIDC_CLIENT_ID: oidcClientId,
    MESHDECK_OIDC_CLIENT_SECRET: clientSecret,
    MESHDECK_OIDC_NAME: oidcName,
    ...oidcRoleEnv,
  };
}
