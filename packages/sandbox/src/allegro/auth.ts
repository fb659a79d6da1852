import { randomBytes } from "node:crypto";
import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { ALLEGRO_SANDBOX_CLIENT_ID, ALLEGRO_SANDBOX_CLIENT_SECRET } from "./options.ts";
import { errors, json } from "./responses.ts";
import type { AllegroState } from "./state.ts";

/** The media type every call must accept: "Accept: application/vnd.allegro.public.v1+json". */
export const MEDIA_TYPE = "application/vnd.allegro.public.v1+json";

const token = () => randomBytes(24).toString("hex");

const form = (request: FakeRequest): Record<string, string> => {
  const fromBody = Object.fromEntries(new URLSearchParams(request.bodyText));
  return { ...fromBody, ...request.query };
};

/**
 * `POST /auth/oauth/token` (OpenAPI securitySchemes `tokenUrl`), `grant_type=refresh_token`:
 * HTTP Basic client credentials, a refresh token that is used up by the call (rotation), and a
 * new access token with `expires_in`.
 */
export function tokenEndpoint(state: AllegroState, request: FakeRequest): FakeResponse {
  const clientId = state.options.clientId ?? ALLEGRO_SANDBOX_CLIENT_ID;
  const secret = state.options.clientSecret ?? ALLEGRO_SANDBOX_CLIENT_SECRET;
  const expected = `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;
  if (request.headers.authorization !== expected)
    return json(401, { error: "invalid_client", error_description: "Bad client credentials" });
  const parameters = form(request);
  if (parameters.grant_type !== "refresh_token")
    return json(400, {
      error: "unsupported_grant_type",
      error_description: "Only refresh_token here",
    });
  const presented = parameters.refresh_token ?? "";
  const seller = state.refreshTokens.get(presented);
  if (seller === undefined)
    return json(400, {
      error: "invalid_grant",
      error_description: `Invalid refresh token: ${presented.slice(0, 6)}…`,
    });
  state.refreshTokens.delete(presented);
  const access = token();
  const refresh = token();
  const lifetime = state.options.accessTokenTtlSeconds ?? 43_199;
  state.accessTokens.set(access, { expiresAt: state.timers.now() + lifetime * 1000, seller });
  state.refreshTokens.set(refresh, seller);
  return json(200, {
    access_token: access,
    token_type: "bearer",
    refresh_token: refresh,
    expires_in: lifetime,
    scope:
      "allegro:api:sale:offers:write allegro:api:sale:offers:read allegro:api:sale:settings:write",
    allegro_api: true,
    jti: token(),
  });
}

/** `App/version (+url)`, optionally followed by more: the structure Allegro's validator checks. */
const descriptiveUserAgent = /^[A-Za-z0-9][\w.-]*\/[\w.+-]+ \(\+https?:\/\/[^\s)]+\)/;

/**
 * A 403 for a missing or non-descriptive `User-Agent` (option `userAgent`, default
 * "descriptive"), on every host, the OAuth one included. Allegro documents the requirement
 * (allegro-api #13260, #13689) but not the answer; the fake chooses a 403 in Allegro's error
 * dialect, the status Allegro gives a blocked client (allegro-api #4681: "403 You have been
 * blocked").
 */
export function userAgentRefusal(
  state: AllegroState,
  request: FakeRequest,
): FakeResponse | undefined {
  if ((state.options.userAgent ?? "descriptive") === "any") return undefined;
  const userAgent = request.headers["user-agent"] ?? "";
  if (descriptiveUserAgent.test(userAgent)) return undefined;
  return errors(403, [
    {
      code: "UserAgentNotAllowedException",
      message: `User-Agent "${userAgent}" does not identify the application: send "App/version (+url)", e.g. "MyApplication/1.1.0 (+https://example.com)".`,
    },
  ]);
}

/** The seller of a request's bearer token while it is valid (undefined: none, unknown or expired). */
export function sellerOf(state: AllegroState, request: FakeRequest): string | undefined {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? "");
  const known = match?.[1] === undefined ? undefined : state.accessTokens.get(match[1]);
  return known === undefined || known.expiresAt <= state.timers.now() ? undefined : known.seller;
}

/** A 401 (`AuthError`) or 406 answer when the call may not go on; undefined when it may. */
export function refusal(state: AllegroState, request: FakeRequest): FakeResponse | undefined {
  const header = request.headers.authorization ?? "";
  const match = /^Bearer (.+)$/.exec(header);
  const known = match?.[1] === undefined ? undefined : state.accessTokens.get(match[1]);
  if (known === undefined)
    return json(401, { error: "invalid_token", error_description: "Invalid access token" });
  if (known.expiresAt <= state.timers.now())
    return json(401, { error: "invalid_token", error_description: "Access token expired" });
  if (!(request.headers.accept ?? "").includes(MEDIA_TYPE))
    return errors(406, [
      {
        code: "NotAcceptableException",
        message: "Not acceptable representation requested. Please check 'Accept' request header",
      },
    ]);
  if (request.bodyText !== "" && !(request.headers["content-type"] ?? "").includes(MEDIA_TYPE))
    return errors(415, [
      { code: "UnsupportedMediaTypeException", message: `Content-Type must be ${MEDIA_TYPE}` },
    ]);
  return undefined;
}
