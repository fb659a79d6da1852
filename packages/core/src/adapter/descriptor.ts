import type { HttpClient } from "@effect/platform";
import {
  Context,
  Duration,
  Effect,
  Either,
  Option,
  ParseResult,
  Redacted,
  Schema,
  type Scope,
} from "effect";
import type { AdsyncError } from "../errors.ts";
import type { Capabilities, MarketplaceAdapter } from "./adapter.ts";

/**
 * A marketplace as an application sees it before any adapter exists: its id, what it can do,
 * the configuration it takes and how to build its adapter from that configuration. Each adapter
 * package exports one (`blocketMarketplace`, …); an application lists the ones it offers in a
 * registry (the CLI's `packages/cli/src/registry.ts`) and drives everything per marketplace
 * from it: its config file, `--to`, the adapters it builds. Adding a marketplace is its
 * package, its fake and one line in that registry (docs/architecture.md, "Adding a
 * marketplace").
 */
export interface MarketplaceDescriptor<
  Config extends Schema.Schema.AnyNoContext = Schema.Schema.AnyNoContext,
> {
  /** The id listings are kept under and `--to` names, e.g. "blocket". */
  readonly id: string;
  /** How people write its name, e.g. "Blocket". */
  readonly label: string;
  /** The adapter's capabilities, known before any adapter is built. */
  readonly capabilities: Capabilities;
  /**
   * The configuration section: JSON in (a config file), the adapter's settings out. Secrets are
   * `Secret` fields (a string in, `Redacted` out), so they never print.
   */
  readonly configSchema: Config;
  /**
   * The GET paths (tested against a request URL's pathname) whose answers are the
   * marketplace's reference data: lists that change rarely and are the same for every account
   * and every ad (category trees, attribute and vehicle lists). An application may keep those
   * answers for every dealer (core's `referenceCacheLayer`). None when absent.
   */
  readonly referencePaths?: ReadonlyArray<RegExp> | undefined;
  /** Builds the adapter from a decoded section and what the application provides. */
  readonly make: (
    config: Schema.Schema.Type<Config>,
    services: MarketplaceServices,
  ) => Effect.Effect<MarketplaceAdapter, AdsyncError, HttpClient.HttpClient | Scope.Scope>;
}

/** A descriptor with its config type kept, for `satisfies` in the adapter packages. */
export const defineMarketplace = <Config extends Schema.Schema.AnyNoContext>(
  descriptor: MarketplaceDescriptor<Config>,
): MarketplaceDescriptor<Config> => descriptor;

/** An OAuth grant as it is kept between runs (Allegro's and Marktplaats' token pairs). */
export interface OAuthGrant {
  readonly accessToken: Redacted.Redacted<string>;
  readonly refreshToken: Redacted.Redacted<string>;
  /** Epoch milliseconds after which the access token is no longer used. */
  readonly expiresAt: number;
}

/** Where one seller's rotated OAuth grant is kept. `save` must be durable when it succeeds. */
export interface GrantStore {
  readonly load: Effect.Effect<Option.Option<OAuthGrant>, AdsyncError>;
  readonly save: (grant: OAuthGrant) => Effect.Effect<void, AdsyncError>;
  /**
   * Runs a refresh (the grant read again, the token request, the new grant saved) while no
   * other process sharing this store refreshes the same grant. Where several processes use one
   * dealer's grant (N workers on one database), two refreshing at once would send the same
   * rotating refresh token twice, and the marketplace refuses the second (Allegro spends it on
   * first use): that process's dealer would have to authorize again. Absent: one process; the
   * bearer's own semaphore orders its refreshes.
   */
  readonly exclusive?: GrantExclusive | undefined;
}

/** Runs `refresh` alone among the processes sharing a grant (`GrantStore.exclusive`). */
export type GrantExclusive = <A, E, R>(
  refresh: Effect.Effect<A, E, R>,
) => Effect.Effect<A, E | AdsyncError, R>;

/** What the grant written in the configuration is: the key its rotated successors live under. */
export interface ConfiguredGrant {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly refreshToken: Redacted.Redacted<string>;
}

/** What an application gives every adapter it builds from a descriptor. */
export interface MarketplaceServices {
  /**
   * Where rotated OAuth grants are kept (the CLI: the store file's key-value table). Absent:
   * in memory, so a restart starts again from the configured refresh token.
   */
  readonly grants?: ((marketplace: string, grant: ConfiguredGrant) => GrantStore) | undefined;
  /** `App/version (+url)`, for marketplaces that require a descriptive User-Agent. */
  readonly userAgent?: string | undefined;
}

/**
 * Where a `Secret` field's `env:NAME` is read from while decoding (the CLI: the process's
 * environment). Without it, the text is the secret itself.
 */
export class SecretEnvironment extends Context.Tag("@adsync/core/SecretEnvironment")<
  SecretEnvironment,
  Readonly<Record<string, string | undefined>>
>() {}

/** `env:NAME` → the variable's value; anything else is the secret itself. */
export const resolveSecretText = (
  text: string,
  environment: Readonly<Record<string, string | undefined>>,
): Either.Either<Redacted.Redacted<string>, string> => {
  if (!text.startsWith("env:")) return Either.right(Redacted.make(text));
  const name = text.slice(4);
  const found = environment[name];
  return found === undefined || found === ""
    ? Either.left(
        `The environment variable ${name} (named in the config as env:${name}) is not set.`,
      )
    : Either.right(Redacted.make(found));
};

/**
 * A secret in a configuration: a string in (`env:NAME` reads the variable from the
 * `SecretEnvironment` the decoder is given), `Redacted` out. Encoding gives the secret back.
 */
export const Secret: Schema.Schema<Redacted.Redacted<string>, string> = Schema.transformOrFail(
  Schema.String,
  Schema.RedactedFromSelf(Schema.String),
  {
    strict: true,
    decode: (text, _, ast) =>
      Effect.flatMap(Effect.serviceOption(SecretEnvironment), (environment) =>
        Option.isNone(environment)
          ? ParseResult.succeed(Redacted.make(text))
          : Either.match(resolveSecretText(text, environment.value), {
              onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, text, message)),
              onRight: ParseResult.succeed,
            }),
      ),
    encode: (secret) => ParseResult.succeed(Redacted.value(secret)),
  },
);

/**
 * A duration in a configuration: milliseconds (a number) or Effect's duration text
 * (`"1 second"`, `"500 millis"`, `"2 minutes"`), a `Duration` out.
 */
export const DurationSetting: Schema.Schema<Duration.Duration, number | string> =
  Schema.transformOrFail(
    Schema.Union(Schema.Number.pipe(Schema.finite(), Schema.nonNegative()), Schema.String),
    Schema.DurationFromSelf,
    {
      strict: true,
      decode: (input, _, ast) =>
        Option.match(Duration.decodeUnknown(input), {
          onNone: () =>
            ParseResult.fail(
              new ParseResult.Type(
                ast,
                input,
                'not a duration: milliseconds, or text such as "1 second" or "500 millis"',
              ),
            ),
          onSome: ParseResult.succeed,
        }),
      encode: (duration) => ParseResult.succeed(Duration.toMillis(duration)),
    },
  );

/**
 * The `http` of a marketplace's section (every marketplace's): how this dealer's (or this
 * configuration's) client talks to the marketplace.
 * - `rateLimit`: at most `limit` requests in any window of `interval`, the marketplace's limit
 *   for one account (where it documents one, or the one its support gave), in place of the
 *   adapter's default (Allegro's 150 a second; none for the others). With dealers on a
 *   database (`adsync worker`) every worker shares it (docs/dealers.md, "Rate limits").
 * - `timeout`: one attempt's limit (default 30 seconds).
 */
export const HttpSection = Schema.Struct({
  rateLimit: Schema.optional(
    Schema.Struct({
      limit: Schema.Int.pipe(Schema.positive()),
      interval: DurationSetting.pipe(
        Schema.filter((interval) => Duration.greaterThan(interval, Duration.zero) || "is 0"),
      ),
    }),
  ),
  timeout: Schema.optional(DurationSetting),
});
export type HttpSection = typeof HttpSection.Type;
