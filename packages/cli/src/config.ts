import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { Invoice, Province } from "@adsync/allegro";
import { VehicleCategory } from "@adsync/core";
import { SellerSettings } from "@adsync/marktplaats";
import { Either, ParseResult, Redacted, Schema } from "effect";

/**
 * `adsync.config.json`: where the store lives and, per marketplace, where and how to connect.
 * A secret may be written as `env:NAME` to read it from the environment at start-up.
 */
export const BlocketSection = Schema.Struct({
  baseUrl: Schema.optional(Schema.String),
  token: Schema.String,
  tokenScope: Schema.optionalWith(Schema.Literal("dealer_code", "dealer_group"), {
    default: () => "dealer_code" as const,
  }),
  dealerCode: Schema.optional(Schema.String),
  apiVersion: Schema.optional(Schema.Literal("v3", "v4")),
  /**
   * The unit of price amounts per API version: the V4 guide says "Amount is in minor currency
   * units (öre for SEK)" while its examples look like kronor. Default `{ v4: "minor", v3:
   * "major" }`; a dealer whose Blocket contact confirms kronor on V4 writes `{ "v4": "major" }`.
   */
  priceUnit: Schema.optional(
    Schema.Struct({
      v3: Schema.optional(Schema.Literal("minor", "major")),
      v4: Schema.optional(Schema.Literal("minor", "major")),
    }),
  ),
});

export const TraderaSection = Schema.Struct({
  environment: Schema.optional(Schema.Literal("production", "development")),
  baseUrl: Schema.optional(Schema.String),
  token: Schema.String,
  dealerCode: Schema.optional(Schema.String),
});

/** The same API serves Marktplaats and 2dehands.be: the section's key names the site. */
export const MarktplaatsSection = Schema.Struct({
  baseUrl: Schema.optional(Schema.String),
  tokenUrl: Schema.optional(Schema.String),
  clientId: Schema.String,
  clientSecret: Schema.String,
  refreshToken: Schema.String,
  locale: Schema.optional(Schema.Literal("nl-BE", "fr-BE")),
  priceUnit: Schema.optional(Schema.Literal("cents", "euros")),
  seller: Schema.optional(SellerSettings),
});

export const AllegroSection = Schema.Struct({
  environment: Schema.optional(Schema.Literal("production", "sandbox")),
  /** One origin for the API, upload and OAuth hosts (the adsync sandbox), or each host. */
  baseUrl: Schema.optional(Schema.String),
  clientId: Schema.String,
  clientSecret: Schema.String,
  refreshToken: Schema.String,
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
  /** `App/version (+url)`, sent on every request; default the CLI's own (allegro-api #13260). */
  userAgent: Schema.optional(Schema.String),
  /** Which offer API: "product-offers" (default, Allegro's current) or the guide's "sale-offers". */
  offerApi: Schema.optional(Schema.Literal("product-offers", "sale-offers")),
  /** Root category ids by vehicle category; otherwise found by walking Allegro's tree. */
  rootCategories: Schema.optional(Schema.Record({ key: VehicleCategory, value: Schema.String })),
});

export const ConfigFile = Schema.Struct({
  store: Schema.optionalWith(
    Schema.Union(
      Schema.Struct({ type: Schema.Literal("sqlite"), path: Schema.String }),
      Schema.Struct({ type: Schema.Literal("memory") }),
    ),
    { default: () => ({ type: "sqlite" as const, path: ".adsync/adsync.db" }) },
  ),
  marketplaces: Schema.optionalWith(
    Schema.Struct({
      blocket: Schema.optional(BlocketSection),
      tradera: Schema.optional(TraderaSection),
      marktplaats: Schema.optional(MarktplaatsSection),
      "2dehands": Schema.optional(MarktplaatsSection),
      allegro: Schema.optional(AllegroSection),
    }),
    { default: () => ({}) },
  ),
});
export type ConfigFile = typeof ConfigFile.Type;

export interface LoadedConfig {
  readonly file: string | undefined;
  readonly config: ConfigFile;
}

export const defaultConfigFile = "adsync.config.json";

export const howToConfigure = `No configuration: adsync targets no marketplace.
Create ${defaultConfigFile} (or pass --config <file>), for example against the sandbox:
  pnpm adsync sandbox --config-out ${defaultConfigFile}
See docs/configuration.md for every field.`;

/** Reads the config file; a missing default file is "no configuration", not an error. */
export const loadConfig = (path: string | undefined): Either.Either<LoadedConfig, string> => {
  const file = resolve(path ?? defaultConfigFile);
  if (!existsSync(file)) {
    return path === undefined
      ? Either.right({ file: undefined, config: Schema.decodeSync(ConfigFile)({}) })
      : Either.left(`Config file not found: ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return Either.left(
      `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return Schema.decodeUnknownEither(ConfigFile, { errors: "all" })(json).pipe(
    Either.map((config) => ({ file, config })),
    Either.mapLeft(
      (error) =>
        `${file} is not a valid adsync config:\n${ParseResult.TreeFormatter.formatErrorSync(error)}`,
    ),
  );
};

/** `env:NAME` → the variable's value; anything else is the secret itself. */
export const resolveSecret = (
  value: string,
  environment: NodeJS.ProcessEnv,
): Either.Either<Redacted.Redacted<string>, string> => {
  if (!value.startsWith("env:")) return Either.right(Redacted.make(value));
  const name = value.slice(4);
  const found = environment[name];
  return found === undefined || found === ""
    ? Either.left(
        `The environment variable ${name} (named in the config as env:${name}) is not set.`,
      )
    : Either.right(Redacted.make(found));
};

/** Paths in the config are relative to the config file. */
export const storePath = (loaded: LoadedConfig, path: string): string =>
  isAbsolute(path)
    ? path
    : resolve(loaded.file === undefined ? process.cwd() : dirname(loaded.file), path);
