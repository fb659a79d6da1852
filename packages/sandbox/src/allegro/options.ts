import type { ClockOptions } from "../http/timers.ts";
import type { TrafficOptions } from "../http/traffic.ts";
import type { FakeCategory } from "./catalog.ts";

/** The OAuth application and seller authorization the Allegro fake accepts unless told otherwise. */
export const ALLEGRO_SANDBOX_CLIENT_ID = "sandbox-allegro-client";
export const ALLEGRO_SANDBOX_CLIENT_SECRET = "sandbox-allegro-secret";
/** A refresh token of the seller; it rotates on first use, like every refresh token. */
export const ALLEGRO_SANDBOX_REFRESH_TOKEN = "sandbox-allegro-refresh-token";

/** A contact that exists on the account when the fake starts. */
export interface AllegroSeedContact {
  readonly name: string;
  readonly emails?: ReadonlyArray<string>;
  readonly phones?: ReadonlyArray<string>;
}

export interface AllegroFakeOptions extends ClockOptions {
  /** Added latency and a per-dealer (per seller) rate limit (docs in `TrafficOptions`). */
  readonly traffic?: TrafficOptions;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Refresh tokens valid at start. Default: ALLEGRO_SANDBOX_REFRESH_TOKEN. */
  readonly refreshTokens?: ReadonlyArray<string>;
  /** `expires_in` of issued access tokens. Default 43199 s (12 hours, Allegro's own). */
  readonly accessTokenTtlSeconds?: number;
  /** How long a publication task stays NEW before it is processed. Default 50 ms. */
  readonly taskDelayMs?: number;
  /**
   * `POST`/`PATCH /sale/product-offers` answer `202` with a `Location` to poll, and the change
   * lands when its operation completes (after `taskDelayMs`). Default false: `201`/`200`.
   */
  readonly asyncProductOffers?: boolean;
  /**
   * The category tree to serve instead of the default one (e.g. ids that differ from
   * production, or a vehicle root missing). Leaves get the default parameters and packages.
   */
  readonly categories?: ReadonlyArray<FakeCategory>;
  /** `expiresAt` of uploaded images, from the upload. Default 24 hours. */
  readonly imageTtlMs?: number;
  /**
   * Which `User-Agent` the fake serves. "descriptive" (default), as Allegro since July 2026
   * (allegro-api #13260: "a unique system/application name and the current production version
   * (e.g. MyApplication/1.1.0)"; #13689: a client sending Node's default "node" was blocked):
   * `App/version (+url)`, anything else answers 403. "any" serves every request, as before.
   */
  readonly userAgent?: "descriptive" | "any";
  /** Contacts the account already has (e.g. 50, to test the limit). */
  readonly contacts?: ReadonlyArray<AllegroSeedContact>;
}
