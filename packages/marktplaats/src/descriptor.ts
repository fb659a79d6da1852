import { defineMarketplace, type MarketplaceServices, Secret } from "@adsync/core";
import { Effect, Option, Schema } from "effect";
import { makeMarktplaatsAdapter, marktplaatsCapabilities } from "./adapter.ts";
import { type MarktplaatsAuthConfig, SellerSettings, type Site } from "./config.ts";

const common = {
  clientId: Schema.String,
  clientSecret: Secret,
  /** "The *refresh_token* will not expire": the grant a dealer gives once. */
  refreshToken: Secret,
  priceUnit: Schema.optional(Schema.Literal("cents", "euros")),
  seller: Schema.optional(SellerSettings),
};

/** Marktplaats' section of a configuration file (`marketplaces.marktplaats`). */
export const MarktplaatsSection = Schema.Struct({
  ...common,
  /** Default https://api.marktplaats.nl and its documented token URL. */
  baseUrl: Schema.optional(Schema.String),
  tokenUrl: Schema.optional(Schema.String),
});

/** 2dehands' section (`marketplaces.2dehands`): its hosts are not documented, so required. */
export const TwoDehandsSection = Schema.Struct({
  ...common,
  baseUrl: Schema.String,
  tokenUrl: Schema.String,
  locale: Schema.optional(Schema.Literal("nl-BE", "fr-BE")),
});

type Section = typeof MarktplaatsSection.Type | typeof TwoDehandsSection.Type;

/**
 * Builds one site's adapter from the last rotated grant the application kept (it wins over the
 * one written in the configuration), saving every new grant before it is used.
 */
const withGrant = (
  site: Site,
  section: Section,
  services: MarketplaceServices,
  build: (auth: MarktplaatsAuthConfig) => ReturnType<typeof makeMarktplaatsAdapter>,
) =>
  Effect.gen(function* () {
    const grants = services.grants?.(site, {
      tokenUrl: section.tokenUrl ?? section.baseUrl ?? site,
      clientId: section.clientId,
      refreshToken: section.refreshToken,
    });
    const saved = grants === undefined ? undefined : Option.getOrUndefined(yield* grants.load);
    return yield* build({
      clientId: section.clientId,
      clientSecret: section.clientSecret,
      refreshToken: saved?.refreshToken ?? section.refreshToken,
      accessToken: saved?.accessToken,
      accessTokenExpiresAt: saved?.expiresAt,
      onTokens: grants?.save,
    });
  });

/** What both sites' adapters take from their sections alike. */
const shared = (section: Section, auth: MarktplaatsAuthConfig) => ({
  auth,
  priceUnit: section.priceUnit,
  seller: section.seller,
});

/** Marktplaats for a registry of marketplaces (docs/architecture.md, "Adding a marketplace"). */
export const marktplaatsMarketplace = defineMarketplace({
  id: "marktplaats",
  label: "Marktplaats",
  capabilities: marktplaatsCapabilities,
  configSchema: MarktplaatsSection,
  make: (section, services) =>
    withGrant("marktplaats", section, services, (auth) =>
      makeMarktplaatsAdapter({
        ...shared(section, auth),
        site: "marktplaats",
        baseUrl: section.baseUrl,
        tokenUrl: section.tokenUrl,
      }),
    ),
});

/** 2dehands.be: the same API and adapter, another site. */
export const twoDehandsMarketplace = defineMarketplace({
  id: "2dehands",
  label: "2dehands",
  capabilities: marktplaatsCapabilities,
  configSchema: TwoDehandsSection,
  make: (section, services) =>
    withGrant("2dehands", section, services, (auth) =>
      makeMarktplaatsAdapter({
        ...shared(section, auth),
        site: "2dehands",
        baseUrl: section.baseUrl,
        tokenUrl: section.tokenUrl,
        locale: section.locale,
      }),
    ),
});
