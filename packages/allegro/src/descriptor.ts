import { defineMarketplace, HttpSection, Secret, VehicleCategory } from "@adsync/core";
import { Schema } from "effect";
import { allegroCapabilities, makeAllegroAdapter } from "./adapter.ts";
import { Invoice, Province } from "./config.ts";
import type { TokenStore } from "./token-store.ts";

/** Allegro's section of a configuration file (`marketplaces.allegro`). */
const AllegroSection = Schema.Struct({
  environment: Schema.optional(Schema.Literal("production", "sandbox")),
  /** One origin for the API, upload and OAuth hosts (the adsync sandbox), or each host. */
  baseUrl: Schema.optional(Schema.String),
  clientId: Schema.String,
  clientSecret: Secret,
  refreshToken: Secret,
  invoice: Schema.optional(Invoice),
  defaultLocation: Schema.optional(
    Schema.Struct({
      countryCode: Schema.String,
      province: Schema.optionalWith(Province, { exact: true }),
      city: Schema.String,
      postCode: Schema.String,
    }),
  ),
  maxFee: Schema.optional(Schema.Number),
  /** `App/version (+url)`, sent on every request; default the application's own (allegro-api #13260). */
  userAgent: Schema.optional(Schema.String),
  /** Which offer API: "product-offers" (default, Allegro's current) or the guide's "sale-offers". */
  offerApi: Schema.optional(Schema.Literal("product-offers", "sale-offers")),
  /** Root category ids by vehicle category; otherwise found by walking Allegro's tree. */
  rootCategories: Schema.optional(Schema.Record({ key: VehicleCategory, value: Schema.String })),
  /** The client's rate limit and timeout (`HttpSection`, docs/configuration.md). */
  http: Schema.optional(HttpSection),
});

/** Allegro for a registry of marketplaces (docs/architecture.md, "Adding a marketplace"). */
export const allegroMarketplace = defineMarketplace({
  id: "allegro",
  label: "Allegro",
  capabilities: allegroCapabilities,
  // The category tree ("GET /sale/categories?parent.id=") and a category's parameters: the
  // same for every seller account.
  referencePaths: [/\/sale\/categories$/, /\/sale\/categories\/[^/]+\/parameters$/],
  configSchema: AllegroSection,
  make: (section, services) => {
    const { baseUrl, userAgent, ...rest } = section;
    const grants = services.grants?.("allegro", {
      tokenUrl: baseUrl ?? section.environment ?? "production",
      clientId: section.clientId,
      refreshToken: section.refreshToken,
    });
    const tokenStore: TokenStore | undefined = grants;
    return makeAllegroAdapter({
      ...rest,
      baseUrls:
        baseUrl === undefined ? undefined : { api: baseUrl, upload: baseUrl, auth: baseUrl },
      tokenStore,
      // Allegro refuses generic agents: the section's, else the application's, else adsync's.
      userAgent:
        userAgent ?? services.userAgent ?? "adsync/0.1 (+https://github.com/adsync/adsync)",
    });
  },
});
