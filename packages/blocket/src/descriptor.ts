import { defineMarketplace, HttpSection, Secret } from "@adsync/core";
import { Schema } from "effect";
import { blocketCapabilities, makeBlocketAdapter } from "./adapter.ts";
import { BLOCKET } from "./config.ts";

const Version = Schema.Literal("v3", "v4");
const Unit = Schema.Literal("minor", "major");

/** Blocket's section of a configuration file (`marketplaces.blocket`). */
export const BlocketSection = Schema.Struct({
  baseUrl: Schema.optional(Schema.String),
  /** The JWT sent as `X-Auth-Token`. */
  token: Secret,
  tokenScope: Schema.optionalWith(Schema.Literal("dealer_code", "dealer_group"), {
    default: () => "dealer_code" as const,
  }),
  dealerCode: Schema.optional(Schema.String),
  apiVersion: Schema.optional(Version),
  /**
   * The unit of price amounts per API version: the V4 guide says "Amount is in minor currency
   * units (öre for SEK)" while its examples look like kronor. Default `{ v4: "minor", v3:
   * "major" }`; a dealer whose Blocket contact confirms kronor on V4 writes `{ "v4": "major" }`.
   */
  priceUnit: Schema.optional(
    Schema.Struct({ v3: Schema.optional(Unit), v4: Schema.optional(Unit) }),
  ),
  /** The client's rate limit and timeout (`HttpSection`, docs/configuration.md). */
  http: Schema.optional(HttpSection),
});

/** Blocket for a registry of marketplaces (docs/architecture.md, "Adding a marketplace"). */
export const blocketMarketplace = defineMarketplace({
  id: BLOCKET,
  label: "Blocket",
  capabilities: blocketCapabilities,
  // The vehicle reference lists ("/v3/vehicle/brands", "models", "body_types", "fuels"), the
  // same for every dealer.
  referencePaths: [/\/v3\/vehicle\/(brands|models|body_types|fuels)$/],
  configSchema: BlocketSection,
  make: (section) => makeBlocketAdapter(section),
});
