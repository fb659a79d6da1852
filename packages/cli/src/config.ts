import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { Either, ParseResult, Schema } from "effect";
import { defaultRegistry, type Registry } from "./registry.ts";

/**
 * The circuit breakers of the adapters' HTTP (docs/operations.md): on unless `enabled` is false,
 * with core's defaults for what is left out.
 */
export const BreakersSection = Schema.Struct({
  enabled: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  /** Consecutive 5xx answers, timeouts or transport failures that open a marketplace's breaker. */
  failureThreshold: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** Consecutive 401/403 answers that open a (dealer, marketplace) breaker. */
  authFailureThreshold: Schema.optional(Schema.Int.pipe(Schema.positive())),
  /** How long a breaker stays open before one request probes the marketplace again. */
  openForSeconds: Schema.optional(Schema.Number.pipe(Schema.positive())),
  /** Each failed probe doubles the open time, up to this. */
  maxOpenForSeconds: Schema.optional(Schema.Number.pipe(Schema.positive())),
});
export type BreakersSection = typeof BreakersSection.Type;

/**
 * `adsync.config.json`: where the store lives, the circuit breakers and, per marketplace, where
 * and how to connect. The sections of `marketplaces` are kept as written (JSON) and checked
 * against each marketplace's `configSchema` (its descriptor, registry.ts); a secret may be
 * written as `env:NAME` to read it from the environment when the adapters are built.
 */
export const ConfigFile = Schema.Struct({
  store: Schema.optionalWith(
    Schema.Union(
      Schema.Struct({ type: Schema.Literal("sqlite"), path: Schema.String }),
      Schema.Struct({ type: Schema.Literal("memory") }),
    ),
    { default: () => ({ type: "sqlite" as const, path: ".adsync/adsync.db" }) },
  ),
  breakers: Schema.optionalWith(BreakersSection, { default: () => ({ enabled: true }) }),
  marketplaces: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), {
    default: () => ({}),
  }),
});
export type ConfigFile = typeof ConfigFile.Type;

/** The file's schema with each marketplace's section checked by its descriptor. */
const checkedConfigFile = (registry: Registry) =>
  Schema.Struct({
    ...ConfigFile.fields,
    marketplaces: Schema.optional(
      Schema.Struct(
        Object.fromEntries(
          registry.map((entry) => [
            entry.descriptor.id,
            Schema.optional(entry.descriptor.configSchema),
          ]),
        ),
      ).annotations({ parseOptions: { onExcessProperty: "error" } }),
    ),
  });

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
export const loadConfig = (
  path: string | undefined,
  registry: Registry = defaultRegistry,
): Either.Either<LoadedConfig, string> => {
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
  return Schema.decodeUnknownEither(checkedConfigFile(registry), { errors: "all" })(json).pipe(
    Either.flatMap(() => Schema.decodeUnknownEither(ConfigFile)(json)),
    Either.map((config) => ({ file, config })),
    Either.mapLeft(
      (error) =>
        `${file} is not a valid adsync config:\n${ParseResult.TreeFormatter.formatErrorSync(error)}`,
    ),
  );
};

/** Paths in the config are relative to the config file. */
export const storePath = (loaded: LoadedConfig, path: string): string =>
  isAbsolute(path)
    ? path
    : resolve(loaded.file === undefined ? process.cwd() : dirname(loaded.file), path);
