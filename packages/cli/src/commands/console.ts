import { type ConsoleOptions, defaultHost, defaultPort, serveConsole } from "@adsync/console";
import { AdsyncError, publisherLayer } from "@adsync/core";
import { Command, Options } from "@effect/cli";
import { NodeHttpClient } from "@effect/platform-node";
import { Config, Console, Data, Effect, Either, Layer, Option } from "effect";
import { loadConfig } from "../config.ts";
import { configuredMarketplaces, layerFromConfig } from "../marketplaces.ts";
import { adIdOf, readStock } from "../stock.ts";

/**
 * `adsync console [--port] [--host] [--config] [--stock]`: serves the operator console over
 * the configured store and marketplaces until interrupted (Ctrl-C).
 *
 * The access token comes from `--token` or, better (argv is visible to every user of the
 * machine), from ADSYNC_CONSOLE_TOKEN; the console refuses a non-loopback `--host` without one.
 */

const port = Options.integer("port").pipe(
  Options.withDefault(defaultPort),
  Options.withDescription("the port to listen on (0: a free port chosen by the system)"),
);
const host = Options.text("host").pipe(
  Options.withDefault(defaultHost),
  Options.withDescription("the address to listen on; beyond loopback an access token is required"),
);
const token = Options.redacted("token").pipe(
  Options.withFallbackConfig(Config.redacted("ADSYNC_CONSOLE_TOKEN")),
  Options.optional,
  Options.withDescription("the access token (default: the ADSYNC_CONSOLE_TOKEN variable)"),
);
const config = Options.file("config", { exists: "yes" }).pipe(
  Options.optional,
  Options.withDescription("the config file (default: adsync.config.json)"),
);
const stock = Options.file("stock", { exists: "yes" }).pipe(
  Options.optional,
  Options.withDescription(
    "the dealer's ads (an ad, a JSON array or .ndjson): shows their values beside issues, lets a failed create/update be published again, and the Plan tab plans them",
  ),
);

/** The ads of a stock file by id (any form `adsync sync` reads), for the console's ad look-ups. */
export const adsById = (path: string): ReadonlyMap<string, unknown> =>
  new Map(
    readStock(path).flatMap((entry) => {
      const id = adIdOf(entry.ad);
      return id === undefined ? [] : [[id, entry.ad] as const];
    }),
  );

/**
 * The stock as the Plan tab plans it: read again at each plan, so a stock edited while the
 * console runs is planned as it is now; each entry keeps its own targets (`to`).
 */
export const stockInventory = (path: string) =>
  Effect.try({
    try: () => readStock(path).map((entry) => ({ ad: entry.ad, to: entry.to })),
    catch: (cause) =>
      new AdsyncError({
        reason: "Configuration",
        message: cause instanceof Error ? cause.message : String(cause),
      }),
  });

/** Why `adsync console` could not start: the config, the store or the address. */
export class ConsoleCommandError extends Data.TaggedError("ConsoleCommandError")<{
  readonly message: string;
}> {}

const fail = (message: string) => Effect.fail(new ConsoleCommandError({ message }));

export const consoleCommand = Command.make(
  "console",
  { port, host, token, config, stock },
  (args) =>
    Effect.gen(function* () {
      const loaded = loadConfig(Option.getOrUndefined(args.config));
      if (Either.isLeft(loaded)) return yield* fail(loaded.left);
      const marketplaces = layerFromConfig(loaded.right, process.env);
      if (Either.isLeft(marketplaces)) return yield* fail(marketplaces.left);
      const ads = Option.map(args.stock, adsById);
      const options: ConsoleOptions = {
        port: args.port,
        host: args.host,
        token: Option.getOrUndefined(args.token),
        marketplaces: configuredMarketplaces(loaded.right),
        ...(Option.isSome(ads)
          ? { ads: (adId: string) => Effect.succeed(Option.fromNullable(ads.value.get(adId))) }
          : {}),
        ...(Option.isSome(args.stock) ? { inventory: stockInventory(args.stock.value) } : {}),
      };
      const serve = Effect.gen(function* () {
        const running = yield* serveConsole(options);
        yield* Console.log(
          `adsync console on ${running.url}${options.token === undefined ? "" : " (open it once with ?token=<your token>)"}`,
        );
        yield* Console.log("Ctrl-C stops it.");
        return yield* Effect.never;
      });
      return yield* serve.pipe(
        Effect.scoped,
        Effect.provide(
          publisherLayer.pipe(
            Layer.provideMerge(marketplaces.right),
            Layer.provide(NodeHttpClient.layerUndici),
          ),
        ),
        Effect.mapError((error) => new ConsoleCommandError({ message: error.message })),
      );
    }),
).pipe(Command.withDescription("serve the operator console: every listing, live, in a browser"));
