import { headerAuth, type MarketplaceHttpOptions, makeMarketplaceHttp } from "@adsync/core";
import type { HttpClient } from "@effect/platform";
import { Effect, type Redacted, type Scope } from "effect";
import { makeProImportClient, type ProImportClient } from "./client.ts";

/** Where and as whom a dialect's client talks: what differs between Blocket and Tradera. */
export interface DialectConnection {
  readonly marketplace: string;
  readonly baseUrl: string;
  /** The JWT both dialects take as `X-Auth-Token`. */
  readonly token: Redacted.Redacted<string>;
  /** Path between the base URL and `/{version}/ad` (Tradera: "/pro-import-api"). */
  readonly adPrefix?: string | undefined;
  readonly http?:
    | Pick<MarketplaceHttpOptions, "timeout" | "retry" | "rateLimit" | "userAgent">
    | undefined;
}

/** The Pro Import client of one dialect, over core's HTTP client. */
export const makeDialectClient = (
  connection: DialectConnection,
): Effect.Effect<ProImportClient, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.map(
    makeMarketplaceHttp({
      marketplace: connection.marketplace,
      baseUrl: connection.baseUrl,
      authenticate: headerAuth("X-Auth-Token", connection.token),
      userAgent: "adsync (+https://github.com/adsync)",
      ...connection.http,
    }),
    (http) => makeProImportClient(http, { adPrefix: connection.adPrefix }),
  );
