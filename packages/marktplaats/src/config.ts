import type {
  AdsyncError,
  MarketplaceHttpOptions,
  OAuthGrant,
  VehicleCategory,
} from "@adsync/core";
import { type Duration, type Effect, type Redacted, Schema } from "effect";

/**
 * One API, two sites. The shared doc: "locale — for Marktplaats only `nl-NL` allowed, for
 * 2dehands: `nl-BE` and `fr-BE` allowed". Only Marktplaats' hosts are documented
 * ("https://api.marktplaats.nl", token URL "https://auth.marktplaats.nl/accounts/oauth/token",
 * authentication.rst); 2dehands' are not, so that site takes them from the configuration.
 */
export const sites = {
  marktplaats: { id: "marktplaats", locales: ["nl-NL"] },
  "2dehands": { id: "2dehands", locales: ["nl-BE", "fr-BE"] },
} as const;
export type Site = keyof typeof sites;
export type Locale = (typeof sites)[Site]["locales"][number];

export const marktplaatsProduction = {
  baseUrl: "https://api.marktplaats.nl",
  tokenUrl: "https://auth.marktplaats.nl/accounts/oauth/token",
} as const;

/** Tokens as the token endpoint answers them (authentication.rst, step 2): core's `OAuthGrant`. */
export type OAuthTokens = OAuthGrant;

export interface MarktplaatsAuthConfig {
  readonly clientId: string;
  readonly clientSecret: Redacted.Redacted<string>;
  /** "The *refresh_token* will not expire": the long-lived credential a dealer grants once. */
  readonly refreshToken: Redacted.Redacted<string>;
  /** A still valid access token, if one is at hand (otherwise the first request refreshes). */
  readonly accessToken?: Redacted.Redacted<string> | undefined;
  readonly accessTokenExpiresAt?: number | undefined;
  /**
   * Called with every new pair: the answer carries a `refresh_token` again and the doc's
   * example stores it. Save it atomically (core has no credentials port yet). The new access
   * token is used only after this succeeds; a failure fails the request that needed it.
   */
  readonly onTokens?: ((tokens: OAuthTokens) => Effect.Effect<void, AdsyncError>) | undefined;
  /** Refresh this long before `expires_in` runs out (default 60 s). */
  readonly refreshMargin?: Duration.DurationInput | undefined;
}

interface CommonConfig {
  readonly auth: MarktplaatsAuthConfig;
  /**
   * The unit of `askingPrice`. Default "cents": the guide's feature prices are "in cents" and
   * its CD player example asks 3241 (€32.41) from a form whose placeholder is "0,00".
   */
  readonly priceUnit?: "cents" | "euros" | undefined;
  /** "max. 30 chars (60 for API partner)" for `seller.sellerName`. */
  readonly apiPartner?: boolean | undefined;
  /** Seller settings for every ad; an ad's `marketplaces.<site>.seller` overrides them. */
  readonly seller?: SellerSettings | undefined;
  /** Where each vehicle kind is listed: the L1 category name (default: car → "Auto's"). */
  readonly categoryRoots?: Partial<Record<VehicleCategory, string>> | undefined;
  /** Extra spellings of makes, e.g. `{ "vw": "Volkswagen" }` (compared without accents/case). */
  readonly makeAliases?: Readonly<Record<string, string>> | undefined;
  /** How long the category tree and attributes are cached (default 24 hours). */
  readonly categoryTtl?: Duration.DurationInput | undefined;
  /**
   * Before a create, list the seller's ads and adopt one with the same licence plate and
   * category. Default: only when the publisher resumes an interrupted create (or the adapter
   * is called without an operation context); `true` looks before every create, `false` never.
   * A create whose answer is lost within the call is always looked up before it is re-sent.
   */
  readonly lookupBeforeCreate?: boolean | undefined;
  /** Attempts of a create whose outcome was unknown or refused with 429 (default 4). */
  readonly createAttempts?: number | undefined;
  /**
   * Price models beyond (or correcting) `defaultPriceModels`: model type → whether it takes an
   * `askingPrice` ("required", "optional", "forbidden"). An unknown model is "optional".
   */
  readonly priceModels?:
    | Readonly<Record<string, "required" | "optional" | "forbidden">>
    | undefined;
  /** The model `price.callForPrice` becomes (default "on-request"). */
  readonly callForPriceModel?: string | undefined;
  /**
   * Category moves ("MUST have a special privilege allowing category changes … once … usually
   * 7 days"): whether this account has the privilege (default false) and the period in days.
   */
  readonly categoryChange?:
    | { readonly privilege?: boolean | undefined; readonly windowDays?: number | undefined }
    | undefined;
  /**
   * Send a changed `location` in a PATCH, as the doc's postcode example does, instead of a PUT
   * (`location` is "updateable: false" and not among the PATCH fields). Default false.
   */
  readonly patchLocation?: boolean | undefined;
  readonly http?:
    | Pick<MarketplaceHttpOptions, "timeout" | "retry" | "rateLimit" | "userAgent">
    | undefined;
}

/** What differs between the two sites: which site, its hosts, and 2dehands' locale. */
export type SiteConfig =
  | {
      readonly site?: "marktplaats" | undefined;
      /** Default https://api.marktplaats.nl; the sandbox's URL in tests. */
      readonly baseUrl?: string | undefined;
      readonly tokenUrl?: string | undefined;
    }
  | {
      readonly site: "2dehands";
      /** Not documented in the sources we have: required. */
      readonly baseUrl: string;
      readonly tokenUrl: string;
      /** "nl-BE" (default) or "fr-BE"; an ad's own `locale` wins. */
      readonly locale?: "nl-BE" | "fr-BE" | undefined;
    };

export type MarktplaatsConfig = CommonConfig & SiteConfig;

const SellerFields = {
  sellerName: Schema.optional(Schema.String),
  phoneNumber: Schema.optional(Schema.String),
  /** "a positive number greater than 0". */
  kvkNumber: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** "can contain numbers and letters". */
  vestiging: Schema.optional(Schema.String.pipe(Schema.pattern(/^[A-Za-z0-9]+$/))),
  showEmail: Schema.optional(Schema.Boolean),
  acceptPaypal: Schema.optional(Schema.Boolean),
};
export const SellerSettings = Schema.Struct(SellerFields);
export type SellerSettings = typeof SellerSettings.Type;

const AttributeValue = Schema.Union(Schema.String, Schema.Number, Schema.Array(Schema.String));

/** Per-ad options, in `ad.marketplaces.marktplaats` (or `ad.marketplaces["2dehands"]`). */
export const MarktplaatsAdOptions = Schema.Struct({
  /** An explicit L2 category: no lookup by make. */
  categoryId: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /**
   * The price model. Default: "on-request" when `price.callForPrice`, else "fixed". See
   * `defaultPriceModels` for the known ones and whether each takes an asking price.
   */
  priceModelType: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  /** The "opvalsticker": "max 18 chars". */
  stickerText: Schema.optional(Schema.String),
  showOnMap: Schema.optional(Schema.Boolean),
  /** "max 25 chars". */
  partNumber: Schema.optional(Schema.String),
  locale: Schema.optional(Schema.Literal("nl-NL", "nl-BE", "fr-BE")),
  seller: Schema.optional(SellerSettings),
  /** Category attributes by their camelCase key; they win over values mapped from the vehicle. */
  attributes: Schema.optional(Schema.Record({ key: Schema.String, value: AttributeValue })),
});
export type MarktplaatsAdOptions = typeof MarktplaatsAdOptions.Type;

/** The documented limits of the advertisement resource (marktplaats-advertisements.rst). */
export const limits = {
  titleMin: 3,
  titleMax: 60,
  descriptionMax: 65_535,
  sellerName: 30,
  sellerNamePartner: 60,
  phoneNumber: 12,
  postcode: 6,
  cityName: 60,
  stickerText: 18,
  videoUrl: 150,
  partNumber: 25,
} as const;

/** "The URL should have marktplaats.carviewer.nl or marktplaats.movieplayer.nl as hostname." */
export const videoHosts: ReadonlySet<string> = new Set([
  "marktplaats.carviewer.nl",
  "marktplaats.movieplayer.nl",
]);

/** Default L1 category per vehicle kind, by name (the API's `/v1/categories` list). */
export const defaultCategoryRoots: Partial<Record<VehicleCategory, string>> = { car: "Auto's" };
