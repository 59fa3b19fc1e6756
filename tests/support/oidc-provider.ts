// A real OpenID Connect provider for the SSO tests: the npm `oidc-provider` package on 127.0.0.1, with its own
// login form (devInteractions), one confidential client, and three people: an admin, an operator, and one whose
// groups map to no Meshdeck role.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import { oidcAppEnv, oidcClientId, oidcUsers, type TOidcLogin } from "./oidc-people";

export { oidcUsers, type TOidcLogin } from "./oidc-people";

export type TOidcProvider = {
  issuer: string;
  env: Record<string, string>;
  /** Moves a person to other groups at the provider, as an administrator there would. */
  setGroups: (login: TOidcLogin, groups: string[]) => void;
  stop: () => Promise<void>;
};

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
  const clientId = oidcClientId;
  const groups = new Map<TOidcLogin, string[]>(Object.entries(oidcUsers).map(([login, user]) => [login as TOidcLogin, [...user.groups]]));
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code", "refresh_token"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    pkce: { required: () => true },
    // As Keycloak does for a confidential client: a refresh token with every code, which Meshdeck refreshes roles with.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: KoaContextWithOIDC, id: string) {
      if (!isLogin(id)) return undefined;
      const user = oidcUsers[id];
      return { accountId: id, claims: () => ({ sub: id, email: user.email, email_verified: true, name: user.name, groups: groups.get(id) ?? [] }) };
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
  const handle = provider.callback();
  // Koa's handler answers every request itself, errors included.
  server.on("request", (request, response) => void handle(request, response));
  return {
    issuer,
    setGroups: (login, list) => groups.set(login, list),
    env: oidcAppEnv({ issuer, clientSecret }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
