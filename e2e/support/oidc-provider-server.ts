// The test OIDC provider as its own process, for playwright.config.ts's web servers: the app signs people in through it.
import { startOidcProvider } from "../../tests/support/oidc-provider";
import { baseURL, oidcPort } from "./env";

const clientSecret = process.env.E2E_OIDC_SECRET;
if (!clientSecret) throw new Error("E2E_OIDC_SECRET is not set; run the suite with `npx playwright test`");
startOidcProvider({ port: oidcPort, redirectUris: [`${baseURL}/api/auth/callback/oidc`], clientSecret }).then(
  ({ issuer }) => console.log(`test OIDC provider at ${issuer}`),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
