import type { MarketplaceHttpOptions } from "@adsync/core";
import { type PriceUnit, proImportAdOptionFields } from "@adsync/pro-import";
import { type Duration, type Redacted, Schema } from "effect";

export const TRADERA = "tradera";

/**
 * "Production: https://api-v2.tradera.com/pro-import-api/v3/ad"; "Development:
 * https://api-v2.dev-external.tradera.dev/pro-import-api/v3/ad". The base URL is the host:
 * the vehicle reference data lives at its root (`GET /vehicle/brands`).
 */
export const traderaEnvironments = {
  production: "https://api-v2.tradera.com",
  development: "https://api-v2.dev-external.tradera.dev",
} as const;
export type TraderaEnvironment = keyof typeof traderaEnvironments;

export interface TraderaConfig {
  /** A named environment (default production), or any base URL such as the sandbox's. */
  readonly environment?: TraderaEnvironment | undefined;
  readonly baseUrl?: string | undefined;
  /** The JWT sent as `X-Auth-Token`. */
  readonly token: Redacted.Redacted<string>;
  /** "dealer_code - Your dealer code": required on every ad; an ad may name its own. */
  readonly dealerCode?: string | undefined;
  /**
   * The unit of price amounts. Default "major" (whole kronor): the guide's own example sends
   * 350000 for a 2019 Volvo XC90, which is kronor, not öre.
   */
  readonly priceUnit?: PriceUnit | undefined;
  /** How long the vehicle reference data is cached (default 24 hours). */
  readonly referenceDataTtl?: Duration.DurationInput | undefined;
  readonly http?:
    | Pick<MarketplaceHttpOptions, "timeout" | "retry" | "rateLimit" | "userAgent">
    | undefined;
}

/** Per-ad options, in `ad.marketplaces.tradera`. */
export const TraderaAdOptions = Schema.Struct({
  ...proImportAdOptionFields,
  /** Renewal (bump) option "premium": "Make ad Premium on Blocket". */
  premium: Schema.optional(Schema.Boolean),
});
export type TraderaAdOptions = typeof TraderaAdOptions.Type;

/** "Supported Categories: 1020 - Cars (Personbilar), 1021 - Transport Vehicles (Transportbilar)". */
export const traderaCategoryId = { car: 1020, van: 1021 } as const;

/** "Warranty info (max 500 chars)" — also service history, home delivery, return policy. */
export const termsMaxLength = 500;

/** "limit - Number of results per page (max 50, default 50)" (list and log endpoints). */
export const maxPageSize = 50;
