import type { ClockOptions } from "../http/timers.ts";
import type { TrafficOptions } from "../http/traffic.ts";

/** The OAuth client the Marktplaats fake knows unless told otherwise (authentication.rst). */
export const MARKTPLAATS_SANDBOX_CLIENT = {
  clientId: "sandbox-marktplaats-client",
  clientSecret: "sandbox-marktplaats-secret",
  /** A refresh token granted by the sandbox's one dealer (seller 1). */
  refreshToken: "sandbox-marktplaats-refresh-token",
} as const;

export interface MarktplaatsFakeOptions extends ClockOptions {
  /** Added latency and a per-dealer (per seller) rate limit (docs in `TrafficOptions`). */
  readonly traffic?: TrafficOptions;
  /** "marktplaats" (locale nl-NL, Dutch postcodes) or "2dehands" (nl-BE / fr-BE, Belgian). */
  readonly site?: "marktplaats" | "2dehands";
  /** Seconds an access token lives: `"expires_in": 43199` in the doc's example (default). */
  readonly accessTokenLifetimeSeconds?: number;
  /** How long the licence-plate enrichment takes to arrive (default 200 ms). */
  readonly enrichmentDelayMs?: number;
  /** How long images stay "downloading" (default 100 ms). */
  readonly imageDelayMs?: number;
  /** Advertisements per page of `GET /v1/advertisements` (default 25). */
  readonly pageSize?: number;
  /** "max. 30 chars (60 for API partner)": whether the client is an API partner (default true). */
  readonly apiPartner?: boolean;
  /** "MUST have a special privilege allowing category changes": whether the dealer has it. */
  readonly categoryChangePrivilege?: boolean;
  /** Image URLs the fake cannot download: they end `failed` instead of `available`. */
  readonly imageDownloadFails?: (url: string) => boolean;
}
