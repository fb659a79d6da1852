import type { MarketplaceHttpOptions } from "@adsync/core";
import {
  type ApiVersion,
  type ImageRules,
  type PriceUnit,
  proImportAdOptionFields,
} from "@adsync/pro-import";
import { type Duration, type Redacted, Schema } from "effect";

export const BLOCKET = "blocket";

/** "API base URL V4 (current, recommended for new integrations): https://api.blocket.se/pro-import-api/v4/" */
export const blocketProductionUrl = "https://api.blocket.se/pro-import-api";

export interface BlocketConfig {
  /** Default: production. Blocket has no test environment: use the sandbox for development. */
  readonly baseUrl?: string | undefined;
  /** The JWT sent as `X-Auth-Token`. */
  readonly token: Redacted.Redacted<string>;
  /**
   * "dealer_group - Provides access to a customer group; dealer_code - Provides access to a
   * single customer". With a group token every create names its dealer_code.
   */
  readonly tokenScope: "dealer_code" | "dealer_group";
  /** The dealer to publish for, unless an ad names its own (`marketplaces.blocket.dealerCode`). */
  readonly dealerCode?: string | undefined;
  /** "V4 for new work" (default). V3 remains for dealers who must stay on it. */
  readonly apiVersion?: ApiVersion | undefined;
  /**
   * The unit of price amounts per API version. Default: V4 "minor" (the V4 guide: "Amount is
   * in minor currency units (öre for SEK)"), V3 "major" (its examples read as whole kronor).
   */
  readonly priceUnit?: { readonly [version in ApiVersion]?: PriceUnit | undefined } | undefined;
  /**
   * Caps for the texts Blocket documents no limit for (default `blocketTextLimits`: title 100,
   * body 10 000 characters); a longer text is cut with a `too_long` warning.
   */
  readonly textLimits?: { readonly title: number; readonly body: number } | undefined;
  /** More images than the limit: send the first ones with a warning (default) or refuse. */
  readonly tooManyImages?: ImageRules["tooMany"] | undefined;
  /** How long the body type and fuel lists (`GET /v3/vehicle/…`) are cached (default 24 hours). */
  readonly referenceDataTtl?: Duration.DurationInput | undefined;
  /** Timeout, retry policy and rate limit of the HTTP client. */
  readonly http?:
    | Pick<MarketplaceHttpOptions, "timeout" | "retry" | "rateLimit" | "userAgent">
    | undefined;
}

/** Per-ad options, in `ad.marketplaces.blocket`. */
export const BlocketAdOptions = Schema.Struct(proImportAdOptionFields);
export type BlocketAdOptions = typeof BlocketAdOptions.Type;

/** The image limits per version: "maximum 38 image URLs" (V3) vs "HTTPS URLs only … Maximum 20 images per ad" (V4). */
export const imageLimits: Readonly<Record<ApiVersion, Omit<ImageRules, "tooMany">>> = {
  v3: { max: 38, httpsOnly: false },
  v4: { max: 20, httpsOnly: true },
};
