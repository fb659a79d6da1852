import { defineMarketplace, HttpSection, Secret } from "@adsync/core";
import { Schema } from "effect";
import { makeTraderaAdapter, traderaCapabilities } from "./adapter.ts";
import { TRADERA } from "./config.ts";

/** Tradera's section of a configuration file (`marketplaces.tradera`). */
export const TraderaSection = Schema.Struct({
  environment: Schema.optional(Schema.Literal("production", "development")),
  baseUrl: Schema.optional(Schema.String),
  /** The JWT sent as `X-Auth-Token`. */
  token: Secret,
  dealerCode: Schema.optional(Schema.String),
  /** The client's rate limit and timeout (`HttpSection`, docs/configuration.md). */
  http: Schema.optional(HttpSection),
});

/** Tradera for a registry of marketplaces (docs/architecture.md, "Adding a marketplace"). */
export const traderaMarketplace = defineMarketplace({
  id: TRADERA,
  label: "Tradera",
  capabilities: traderaCapabilities,
  // The vehicle reference lists, the same for every dealer.
  referencePaths: [
    /\/vehicle\/(brands|car-models|car-body-styles|colors|fuels|transmissions|equipments)$/,
  ],
  configSchema: TraderaSection,
  make: (section) => makeTraderaAdapter(section),
});
