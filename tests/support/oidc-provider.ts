// A real OpenID Connect provider for the SSO tests: the npm `oidc-provider` package on 127.0.0.1, with its own
// login form (devInteractions), one confidential client, and three people: an admin, an operator, and one whose
// groups map to no Meshdeck role.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export const oidcUsers = {
  ada: { email: "ada@idp.test", name: "Ada Admin", groups: ["mesh-admins", "staff"] },
  otto: { email: "otto@idp.test", name: "Otto Operator", groups: ["mesh-ops"] },
  una: { email: "una@idp.test", name: "Una Unmapped", groups: ["finance"] },
} as const;
export type TOidcLogin = keyof typeof oidcUsers;

// What the app is told: the roles env maps the groups above; `groups` is the claim.
export const oidcRoleEnv = { MESHDECK_OIDC_ROLE_CLAIM: "groups", MESHDECK_OIDC_ROLES: "mesh-admins=admin,mesh-ops=operator,mesh-view=viewer" };

export type TOidcProvider = { issuer: string; clientId: string; clientSecret: string; env: Record<string, string>; stop: () => Promise<void> };

const isLogin = (id: string): id is TOidcLogin => Object.hasOwn(oidcUsers, id);

/** Starts the provider on `port` (0: any free one) for a client whose callbacks are `redirectUris`. */
export async function startOidcProvider({
  port = 0,
  redirectUris,
  clientSecret = randomBytes(24).toString("base64url"),
}: {
  port?: number;
  redirectUris: string[];
  clientSecret?: string;
}): Promise<TOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "meshdeck";
  const configuration: Configuration = {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, response_types: ["code"], grant_types: ["authorization_code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: KoaContextWithOIDC, id: string) {
      if (!isLogin(id)) return undefined;
      const user = oidcUsers[id];
      return { accountId: id, claims: () => ({ sub: id, email: user.email, email_verified: true, name: user.name, groups: [...user.groups] }) };
    },
    // Consent is granted for the one client, so the form is the login alone, as at a company's provider.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const accountId = ctx.oidc.session?.accountId;
      const client = ctx.oidc.client;
      if (!accountId || !client) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId });
      grant.addOIDCScope("openid email profile groups");
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    env: { MESHDECK_OIDC_ISSUER: issuer, MESHDECK_OIDC_CLIENT_ID: clientId, MESHDECK_OIDC_CLIENT_SECRET: clientSecret, MESHDECK_OIDC_NAME: "Test IdP", ...oidcRoleEnv },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
