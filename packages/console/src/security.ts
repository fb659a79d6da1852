import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform";
import { Effect, Redacted } from "effect";
import { actionHeader } from "./wire.ts";

/**
 * The console's guards, in front of every route:
 * - DNS rebinding: without a token (loopback only) the Host header must name a loopback
 *   address, so a page on another site that resolves its name to 127.0.0.1 is refused;
 * - access token: with a token, a request needs the session cookie (given in exchange for
 *   `?token=` on the page's address, then redirected so the token leaves the address bar) or
 *   `Authorization: Bearer <token>`; the cookie holds a random session id, never the token;
 * - cross-site actions: every non-GET request needs the custom `x-adsync-console` header (a
 *   cross-site form cannot send one, a cross-site fetch needs a CORS preflight the console never
 *   grants), an `Origin` equal to the console's own, and `Sec-Fetch-Site: same-origin` when
 *   the browser sends it.
 */

const sessionCookie = "adsync_console_session";

const digest = (value: string) => createHash("sha256").update(value).digest();
/** Equal in constant time, so the token cannot be guessed byte by byte from timings. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(digest(given), digest(expected));

const loopbackHost = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/;

const securityHeaders = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

const refuse = (status: 401 | 403, message: string) =>
  HttpServerResponse.unsafeJson({ ok: false, message }, { status });

const isAction = (method: string) => method !== "GET" && method !== "HEAD";

/** Why an action request looks cross-site, or undefined when it comes from the console's page. */
export const crossSiteReason = (
  headers: Readonly<Record<string, string | undefined>>,
): string | undefined => {
  if (headers[actionHeader] !== "1") return `actions need the ${actionHeader} header`;
  const origin = headers.origin;
  if (origin !== undefined && origin !== `http://${headers.host ?? ""}`) {
    return "actions are accepted from the console's own page only";
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") {
    return "actions are accepted from the console's own page only";
  }
  return undefined;
};

/** Wraps the console's app in the guards above. */
export const guarded =
  (token: Redacted.Redacted<string> | undefined) =>
  <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> => {
    // Fresh per server start: restarting the console ends every session.
    const session = randomBytes(32).toString("base64url");
    const handle = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest;
      const headers = request.headers;
      if (token === undefined && !loopbackHost.test(headers.host ?? "")) {
        return refuse(403, "this console answers on a loopback address only");
      }
      if (token !== undefined) {
        const secret = Redacted.value(token);
        const url = new URL(request.url, "http://console");
        const offered = url.searchParams.get("token");
        if (request.method === "GET" && offered !== null) {
          if (!sameSecret(offered, secret)) return refuse(401, "wrong access token");
          url.searchParams.delete("token");
          return HttpServerResponse.redirect(`${url.pathname}${url.search}`, {
            status: 303,
          }).pipe(
            HttpServerResponse.unsafeSetCookie(sessionCookie, session, {
              httpOnly: true,
              sameSite: "strict",
              path: "/",
            }),
          );
        }
        const bearer = headers.authorization?.match(/^Bearer (.+)$/)?.[1];
        const cookie = request.cookies[sessionCookie];
        const allowed =
          (bearer !== undefined && sameSecret(bearer, secret)) ||
          (cookie !== undefined && sameSecret(cookie, session));
        if (!allowed) {
          return refuse(401, "open the console with its access token: http://HOST:PORT/?token=…");
        }
      }
      if (isAction(request.method)) {
        const reason = crossSiteReason(headers);
        if (reason !== undefined) return refuse(403, reason);
      }
      return yield* app;
    });
    return Effect.map(handle, HttpServerResponse.setHeaders(securityHeaders));
  };
