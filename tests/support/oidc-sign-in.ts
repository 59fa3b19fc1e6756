// Signs in through the app's OIDC provider over plain HTTP, as a browser would: the app's sign-in request, the
// provider's login form, and the callback, each with its own cookies. `tamper` may change the callback URL.
import { oidcUsers, type TOidcLogin } from "./oidc-provider";

type TJar = Map<string, string>;

function keep(jar: TJar, response: Response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

const header = (jar: TJar) => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

async function call(jar: TJar, url: string, init: RequestInit = {}) {
  const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: header(jar) } });
  keep(jar, response);
  return response;
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields),
});

export type TSsoResult = { location: string; cookie?: string; authorizeUrl: URL };

export async function signInThroughProvider({
  baseUrl,
  login,
  tamper = (url) => url,
}: {
  baseUrl: string;
  login: TOidcLogin;
  tamper?: (callback: URL) => URL;
}): Promise<TSsoResult> {
  const app: TJar = new Map();
  const idp: TJar = new Map();
  const csrf = await call(app, `${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = await call(app, `${baseUrl}/api/auth/signin/oidc`, form({ csrfToken, callbackUrl: `${baseUrl}/` }));
  if (start.status !== 302) throw new Error(`sign-in did not send to the provider: ${start.status}`);
  const authorizeUrl = new URL(start.headers.get("location") ?? "");
  let next = authorizeUrl.href;
  // The provider's redirects and its login form, until it sends the browser back to the app.
  for (let step = 0; step < 10 && !next.startsWith(baseUrl); step += 1) {
    const response = await call(idp, next);
    if (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get("location") ?? "", next).href;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (!action || !prompt) {
      const said = html
        .replace(/<style>[\s\S]*<\/style>/, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ");
      throw new Error(`the provider answered ${response.status} to ${next} without a form: ${said.slice(0, 600)}`);
    }
    const fields: Record<string, string> = prompt === "login" ? { prompt, login, password: `${oidcUsers[login].email}-password` } : { prompt };
    const submitted = await call(idp, new URL(action, next).href, form(fields));
    next = new URL(submitted.headers.get("location") ?? "", next).href;
  }
  if (!next.startsWith(baseUrl)) throw new Error(`the provider never sent the browser back: ${next}`);
  const callback = await call(app, tamper(new URL(next)).href);
  const cookie = app.get("authjs.session-token");
  return { location: callback.headers.get("location") ?? "", cookie: cookie ? `authjs.session-token=${cookie}` : undefined, authorizeUrl };
}
