import { defineMarketplace, HttpSection, type MarketplaceServices, Secret } from "@adsync/core";
import { Effect, Option, Schema } from "effect";
import { makeMarktplaatsAdapter, marktplaatsCapabilities } from "./adapter.ts";
import {
  type MarktplaatsAuthConfig,
  SellerSettings,
  type Site,
  type SiteConfig,
} from "./config.ts";

const common = {
  clientId: Schema.String,
  clientSecret: Secret,
  /** "The *refresh_token* will not expire": the grant a dealer gives once. */
  refreshToken: Secret,
  priceUnit: Schema.optional(Schema.Literal("cents", "euros")),
  seller: Schema.optional(SellerSettings),
  /** The client's rate limit and timeout (`HttpSection`, docs/configuration.md). */
  http: Schema.optional(HttpSection),
};

/** Marktplaats' section of a configuration file (`marketplaces.marktplaats`). */
const MarktplaatsSection = Schema.Struct({
  ...common,
  /** Default https://api.marktplaats.nl and its documented token URL. */
  baseUrl: Schema.optional(Schema.String),
  tokenUrl: Schema.optional(Schema.String),
});

/** 2dehands' section (`marketplaces.2dehands`): its hosts are not documented, so required. */
const TwoDehandsSection = Schema.Struct({
  ...common,
  baseUrl: Schema.String,
  tokenUrl: Schema.String,
  locale: Schema.optional(Schema.Literal("nl-BE", "fr-BE")),
});

/** What every site's section holds alike. */
type Section = typeof MarktplaatsSection.Type | typeof TwoDehandsSection.Type;

/**
 * Builds one site's adapter from the last rotated grant the application kept (it wins over the
 * one written in the configuration), saving every new grant before it is used.
 */
const withGrant = (site: Site, section: Section, services: MarketplaceServices) =>
  Effect.gen(function* () {
    const grants = services.grants?.(site, {
      tokenUrl: section.tokenUrl ?? section.baseUrl ?? site,
      clientId: section.clientId,
      refreshToken: section.refreshToken,
    });
    const saved = grants === undefined ? undefined : Option.getOrUndefined(yield* grants.load);
    return {
      clientId: section.clientId,
      clientSecret: section.clientSecret,
      refreshToken: saved?.refreshToken ?? section.refreshToken,
      accessToken: saved?.accessToken,
      accessTokenExpiresAt: saved?.expiresAt,
      onTokens: grants?.save,
    } satisfies MarktplaatsAuthConfig;
  });

/**
 * One site of the Marktplaats API for a registry of marketplaces (docs/architecture.md,
 * "Adding a marketplace"): the same adapter, the site's section and what it says of the site.
 */
const siteMarketplace = <A extends Section, I>(
  site: Site,
  label: string,
  configSchema: Schema.Schema<A, I>,
  siteOf: (section: A) => SiteConfig,
) =>
  defineMarketplace({
    id: site,
    label,
    capabilities: marktplaatsCapabilities,
    // The category levels and a level-2 category's attributes ("/v1/categories",
    // "/v1/categories/{l1}", "/v1/categories/{l1}/{l2}/attributes"): the site's, for every account.
    referencePaths: [/\/v1\/categories(\/[^/]+)?$/, /\/v1\/categories\/[^/]+\/[^/]+\/attributes$/],
    configSchema,
    make: (section, services) =>
      Effect.flatMap(withGrant(site, section, services), (auth) =>
        makeMarktplaatsAdapter({
          auth,
          priceUnit: section.priceUnit,
          seller: section.seller,
          http: section.http,
          ...siteOf(section),
        }),
      ),
  });

/** Marktplaats.nl. */
export const marktplaatsMarketplace = siteMarketplace(
  "marktplaats",
  "Marktplaats",
  MarktplaatsSection,
  (section) => ({ site: "marktplaats", baseUrl: section.baseUrl, tokenUrl: section.tokenUrl }),
);

/** 2dehands.be: the same API and adapter, another site. */
export const twoDehandsMarketplace = siteMarketplace(
  "2dehands",
  "2dehands",
  TwoDehandsSection,
  (section) => ({
    site: "2dehands",
    baseUrl: section.baseUrl,
    tokenUrl: section.tokenUrl,
    locale: section.locale,
  }),
);
