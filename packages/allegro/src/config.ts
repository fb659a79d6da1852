import type { MarketplaceHttpOptions, VehicleCategory } from "@adsync/core";
import { type Duration, type Redacted, type Schedule, Schema } from "effect";
import type { CommandJournal } from "./flow/command-journal.ts";
import type { TokenStore } from "./token-store.ts";

export const ALLEGRO = "allegro";

/**
 * The media type of every request and answer: "-H 'Accept: application/vnd.allegro.public.v1+json'"
 * and the same `Content-Type` on every body in the guide's samples.
 */
export const allegroMediaType = "application/vnd.allegro.public.v1+json";

/**
 * The three hosts Allegro uses. OpenAPI `servers`: `https://api.{environment}`, images on
 * "dedicated domain for upload, i.e. https://upload.allegro.pl" and OAuth at
 * `https://allegro.pl/auth/oauth/token` (securitySchemes), sandbox `allegro.pl.allegrosandbox.pl`.
 */
export const allegroEnvironments = {
  production: {
    api: "https://api.allegro.pl",
    upload: "https://upload.allegro.pl",
    auth: "https://allegro.pl",
  },
  sandbox: {
    api: "https://api.allegro.pl.allegrosandbox.pl",
    upload: "https://upload.allegro.pl.allegrosandbox.pl",
    auth: "https://allegro.pl.allegrosandbox.pl",
  },
} as const;
type AllegroEnvironment = keyof typeof allegroEnvironments;

/** "You cannot have more than 50 contacts"; "up to: 1 email address, 2 phone numbers". */
export const contactLimits = { contacts: 50, emails: 1, phones: 2, nameLength: 250 } as const;
/** "The title cannot exceed 50 characters." */
export const titleMaxLength = 50;
/** "The description can have up to 100 sections"; two items per section; 40000 bytes. */
export const descriptionLimits = { sections: 100, itemsPerSection: 2, bytes: 40_000 } as const;
/** OpenAPI `external.id`: "Single ID length shouldn't exceed 100 characters", ≤ 100 per call. */
export const externalIdsPerLookup = 100;
/** OpenAPI tasks `offset` "maximum: 999" and `limit` "maximum: 1000": one command ≤ 1000 offers. */
export const offersPerCommand = 1000;

/**
 * How the vehicle roots are named in Allegro's tree, found by walking `GET /sale/categories`
 * from the main categories ("Motoryzacja") down: the walk goes make → model → series below
 * the root found ("ads can be listed in the lowest tier category if the category is marked
 * leaf: true"). Ids are never assumed: a sandbox or a reorganised tree has other ids, and a
 * dealer names a root's id in `rootCategories` to skip the walk.
 */
export const defaultRootCategoryNames: Partial<Record<VehicleCategory, ReadonlyArray<string>>> = {
  car: ["Samochody osobowe", "Osobowe"],
  van: ["Samochody dostawcze", "Dostawcze"],
  motorcycle: ["Motocykle i quady", "Motocykle"],
};

/** The main category the vehicle roots sit under. */
export const vehicleMainCategoryNames: ReadonlyArray<string> = ["Motoryzacja"];

/** "payments.invoice … four values are supported: VAT; VAT_MARGIN; WITHOUT_VAT; NO_INVOICE". */
export const Invoice = Schema.Literal("VAT", "VAT_MARGIN", "WITHOUT_VAT", "NO_INVOICE");
export type Invoice = typeof Invoice.Type;

/** "province … supported values" for `countryCode` PL (section 7). */
export const Province = Schema.Literal(
  "DOLNOSLASKIE",
  "KUJAWSKO_POMORSKIE",
  "LUBELSKIE",
  "LUBUSKIE",
  "LODZKIE",
  "MALOPOLSKIE",
  "MAZOWIECKIE",
  "OPOLSKIE",
  "PODKARPACKIE",
  "PODLASKIE",
  "POMORSKIE",
  "SLASKIE",
  "SWIETOKRZYSKIE",
  "WARMINSKO_MAZURSKIE",
  "WIELKOPOLSKIE",
  "ZACHODNIOPOMORSKIE",
);
export type Province = typeof Province.Type;

/**
 * Per-ad options, in `ad.marketplaces.allegro`. Everything here is optional: the adapter
 * resolves the category from the vehicle and takes the category's base package otherwise.
 */
export const AllegroAdOptions = Schema.Struct({
  /** A leaf category id that overrides the make → model → series walk. */
  categoryId: Schema.optional(Schema.String.pipe(Schema.pattern(/^\d+$/))),
  /** The dealer's package choice; default: the category's `BASE` package. */
  basePackageId: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  extraPackageIds: Schema.optional(Schema.Array(Schema.String.pipe(Schema.minLength(1)))),
  /** "schedule ads, by providing the listing date in the scheduleFor field". */
  scheduledFor: Schema.optional(Schema.DateTimeUtc),
  /**
   * Relist an offer that has ended (expired, ended by an admin) when the ad is published
   * again. Off by default: "we will charge fees … again", so a plain edit never relists.
   */
  relistEnded: Schema.optional(Schema.Boolean),
  /** Stop after the package: the draft waits for `previewFee` and a later publish. */
  draftOnly: Schema.optional(Schema.Boolean),
  province: Schema.optional(Province),
  invoice: Schema.optional(Invoice),
  /** Raw parameter values by parameter id, for parameters no canonical field fills. */
  parameters: Schema.optional(
    Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }),
  ),
});
export type AllegroAdOptions = typeof AllegroAdOptions.Type;

/**
 * Which resources create, read and edit offers. "product-offers" (default): `POST
 * /sale/product-offers`, `PATCH`/`GET /sale/product-offers/{id}` — the only ones Allegro serves
 * since 2024-01-01 (allegro-api #5729, #7288, #8085). "sale-offers": the guide's `POST
 * /sale/offers` and `GET`/`PUT /sale/offers/{id}`, for accounts or sandboxes that still serve it.
 */
export type OfferApi = "product-offers" | "sale-offers";

/** What to do when 50 contacts exist and none matches the ad's contact (section 1, Note!). */
export type ContactsFullPolicy = "reuseBestMatch" | "fail";

export interface AllegroConfig {
  /** A named environment (default production); `baseUrls` overrides any host (the sandbox). */
  readonly environment?: AllegroEnvironment | undefined;
  readonly baseUrls?:
    | { readonly api?: string; readonly upload?: string; readonly auth?: string }
    | undefined;
  readonly clientId: string;
  readonly clientSecret: Redacted.Redacted<string>;
  /** The refresh token of the seller's authorization, used when the token store is empty. */
  readonly refreshToken: Redacted.Redacted<string>;
  /** Where rotated tokens are kept; default an in-memory store (lost on restart). */
  readonly tokenStore?: TokenStore | undefined;
  /** Where publication command ids are written before they are sent; default in memory. */
  readonly commandJournal?: CommandJournal | undefined;
  /** Default "product-offers". */
  readonly offerApi?: OfferApi | undefined;
  /** How a product-offer `202`'s operation is polled (default: 100 ms growing to 5 s, 40 reads). */
  readonly operationPolling?: Schedule.Schedule<unknown, unknown> | undefined;
  /** Root category ids by vehicle category: the walk below starts there (no tree walk). */
  readonly rootCategories?: Partial<Record<VehicleCategory, string>> | undefined;
  /** Extra or other names of the roots, looked for when walking the tree. */
  readonly rootCategoryNames?: Partial<Record<VehicleCategory, ReadonlyArray<string>>> | undefined;
  /** Extra spellings: canonical make/model (lower case) → Allegro's category name. */
  readonly categoryAliases?: Readonly<Record<string, string>> | undefined;
  readonly invoice?: Invoice | undefined;
  /** Used when the ad has no location (Allegro requires city, post code and province). */
  readonly defaultLocation?:
    | {
        readonly countryCode: string;
        readonly province?: Province;
        readonly city: string;
        readonly postCode: string;
      }
    | undefined;
  /** Used when the ad has no contact. */
  readonly defaultContact?:
    | { readonly name: string; readonly email?: string; readonly phone?: string }
    | undefined;
  /**
   * At 50 contacts with none matching: "fail" (default) gives the ad a `contact`/`too_many`
   * issue; "reuseBestMatch" reuses the closest contact with a warning. Never a 51st.
   */
  readonly contactsFull?: ContactsFullPolicy | undefined;
  /** Stop before publishing when the fee preview totals more than this (PLN, decimal). */
  readonly maxFee?: number | undefined;
  /** How long category trees, parameters and packages are cached (default 24 hours). */
  readonly referenceDataTtl?: Duration.DurationInput | undefined;
  /**
   * Required: a descriptive `User-Agent` sent on every request, `App/version (+url)` (e.g.
   * `MyDms/2.1 (+https://dms.example.com)`). Allegro refuses generic ones, Node's default
   * included, since June 2026 (allegro-api #13260, #13689). `allegroUserAgent` builds one.
   */
  readonly userAgent: string;
  readonly http?: Pick<MarketplaceHttpOptions, "timeout" | "retry" | "rateLimit"> | undefined;
}

/** `App/version (+url)`, optionally followed by more comments: what Allegro asks for. */
export const descriptiveUserAgent = /^[A-Za-z0-9][\w.-]*\/[\w.+-]+ \(\+https?:\/\/[^\s)]+\)/;

/** A User-Agent Allegro accepts: `allegroUserAgent("MyDms", "2.1", "https://dms.example.com")`. */
export const allegroUserAgent = (app: string, version: string, url: string): string =>
  `${app}/${version} (+${url})`;
