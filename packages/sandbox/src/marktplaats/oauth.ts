import { randomUUID } from "node:crypto";
import type { FakeRequest, FakeResponse } from "../http/fake-request.ts";
import { MARKTPLAATS_SANDBOX_CLIENT } from "./options.ts";

/**
 * The token endpoint and bearer checks of authentication.rst: `POST /accounts/oauth/token`
 * with `grant_type=refresh_token&refresh_token=…&client_id=…&client_secret=…` as query
 * parameters (the doc's own request) or a form body; the answer is `{access_token,
 * token_type: "Bearer", expires_in, refresh_token, scope: "read,write"}`. Refresh tokens do not
 * expire and "are not immediately invalidated after using it once" (README changelog, Feb 2015).
 */
export class OAuthServer {
  private readonly refreshTokens = new Map<string, number>([
    [MARKTPLAATS_SANDBOX_CLIENT.refreshToken, 1],
  ]);
  private readonly accessTokens = new Map<string, { userId: number; expiresAt: number }>();
  refreshCount = 0;

  constructor(private readonly lifetimeSeconds: number) {}

  /** `POST /accounts/oauth/token`. */
  token(request: FakeRequest): FakeResponse {
    const parameters = new URLSearchParams(request.bodyText);
    const parameter = (name: string) => request.query[name] ?? parameters.get(name) ?? undefined;
    if (
      parameter("client_id") !== MARKTPLAATS_SANDBOX_CLIENT.clientId ||
      parameter("client_secret") !== MARKTPLAATS_SANDBOX_CLIENT.clientSecret
    ) {
      return {
        status: 401,
        body: { error: "invalid_client", error_description: "Bad client credentials" },
      };
    }
    if (parameter("grant_type") !== "refresh_token") {
      return { status: 400, body: { error: "unsupported_grant_type" } };
    }
    const userId = this.refreshTokens.get(parameter("refresh_token") ?? "");
    if (userId === undefined) {
      return {
        status: 400,
        body: { error: "invalid_grant", error_description: "Invalid refresh token" },
      };
    }
    this.refreshCount += 1;
    const accessToken = randomUUID();
    const refreshToken = randomUUID();
    this.accessTokens.set(accessToken, {
      userId,
      expiresAt: Date.now() + this.lifetimeSeconds * 1000,
    });
    this.refreshTokens.set(refreshToken, userId);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: "Bearer",
        expires_in: this.lifetimeSeconds,
        refresh_token: refreshToken,
        scope: "read,write",
      },
    };
  }

  /** The user a request's bearer token stands for, or the 401 to answer. */
  authenticate(
    headers: Readonly<Record<string, string>>,
  ): { readonly userId: number } | { readonly response: FakeResponse } {
    const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "");
    const grant = match?.[1] === undefined ? undefined : this.accessTokens.get(match[1]);
    if (grant === undefined) {
      return { response: unauthorized("invalid_token", "Invalid access token") };
    }
    if (Date.now() >= grant.expiresAt) {
      return { response: unauthorized("invalid_token", "Access token expired") };
    }
    return { userId: grant.userId };
  }

  /** Grants a refresh token of a seller account (a dealer's authorization, #13). */
  addSeller(refreshToken: string, userId: number): void {
    this.refreshTokens.set(refreshToken, userId);
  }

  /**
   * Revokes every token of one seller (the dealer withdrew the authorization): its refresh
   * tokens answer `invalid_grant`, its access tokens 401. False when it held none.
   */
  revokeSeller(userId: number): boolean {
    let revoked = false;
    for (const [token, owner] of this.refreshTokens)
      if (owner === userId) revoked = this.refreshTokens.delete(token) || revoked;
    for (const [token, grant] of this.accessTokens)
      if (grant.userId === userId) revoked = this.accessTokens.delete(token) || revoked;
    return revoked;
  }

  /** The seller of a request's bearer token, when it is a valid one (the rate limit's account). */
  sellerOf(headers: Readonly<Record<string, string>>): number | undefined {
    const grant = this.authenticate(headers);
    return "response" in grant ? undefined : grant.userId;
  }

  /** Makes every access token issued so far expire now (a test helper). */
  expireAll(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAt = 0;
  }
}

const unauthorized = (error: string, description: string): FakeResponse => ({
  status: 401,
  headers: { "www-authenticate": `Bearer error="${error}"` },
  body: { error, error_description: description },
});
