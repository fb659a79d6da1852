import { readFileSync } from "node:fs";
import { type AdsyncClient, createAdsync } from "@adsync/core";
import { Context, Effect, Either, Ref } from "effect";
import { howToConfigure, type LoadedConfig, loadConfig } from "./config.ts";
import { configuredMarketplaces, layerFromConfig, parseTargets } from "./marketplaces.ts";
import { defaultRegistry, marketplaceIds, type Registry } from "./registry.ts";

/** What a command gets: where to write, and the environment to read secrets from. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly environment: NodeJS.ProcessEnv;
  /** Redraws one status line (a progress bar); absent when stderr is not a terminal. */
  readonly progress?: ((line: string) => void) | undefined;
  /** Whether help may be coloured (stdout is a terminal); plain text otherwise. */
  readonly colors?: boolean | undefined;
  /** The marketplaces this run knows (default `defaultRegistry`: the four adsync ships). */
  readonly registry?: Registry | undefined;
}

export const nodeIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  environment: process.env,
  colors: process.stdout.isTTY,
  progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r\u001b[2K${line}`) : undefined,
};

/** The exit codes of every command (docs/cli.md). */
export const ExitCode = {
  /** Everything asked for is done (an operation a marketplace does not support is not a failure). */
  ok: 0,
  /** An ad is invalid, or a marketplace refused or failed an operation. */
  failed: 1,
  /** The command line or the configuration is wrong; nothing was sent. */
  usage: 2,
  /** The ad id is not in the store: it was never published from it. */
  unknownAd: 3,
} as const;

/** A failure that ends the command with a message and an exit code (default 2: usage). */
export class CommandError {
  readonly _tag = "CommandError";
  constructor(
    readonly message: string,
    readonly exitCode: number = ExitCode.usage,
  ) {}
}

/** Where a command writes and where its exit code goes, provided by `main` for one run. */
export class CliIo extends Context.Tag("@adsync/cli/CliIo")<
  CliIo,
  { readonly io: Io; readonly exitCode: Ref.Ref<number> }
>() {}

/**
 * Runs a command's body (Promise code on the `AdsyncClient` facade) and keeps its exit code.
 * A `CommandError` prints its message; anything else prints its stack: both exit 2.
 */
export const runCommand = (body: (io: Io) => Promise<number>) =>
  Effect.gen(function* () {
    const { io, exitCode } = yield* CliIo;
    const code = yield* Effect.promise(() =>
      body(io).catch((error: unknown) => {
        if (error instanceof CommandError) {
          io.err(error.message);
          return error.exitCode;
        }
        io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
        return ExitCode.usage;
      }),
    );
    yield* Ref.set(exitCode, code);
  });

export const orFail = <A>(value: Either.Either<A, string>): A => {
  if (Either.isLeft(value)) throw new CommandError(value.left);
  return value.right;
};

export interface Session {
  readonly loaded: LoadedConfig;
  readonly marketplaces: ReadonlyArray<string>;
  readonly client: AdsyncClient;
  readonly targets: ReadonlyArray<string> | undefined;
  /** The reference-data URLs this session had to read from a marketplace (cache misses). */
  readonly referenceReads: ReadonlyArray<string>;
}

/** Loads the config and opens the publisher; commands close it when done. */
export const openSession = (
  configPath: string | undefined,
  to: string | undefined,
  io: Io,
  /** Publishing commands need a marketplace; validation still checks the canonical ad without one. */
  requireTarget = true,
): Session => {
  const registry = io.registry ?? defaultRegistry;
  const known = marketplaceIds(registry);
  // A marketplace nobody knows is a typo: say so before asking for a config.
  orFail(parseTargets(to, known, known));
  const loaded = orFail(loadConfig(configPath, registry));
  const marketplaces = configuredMarketplaces(loaded, registry);
  if (marketplaces.length === 0) {
    if (requireTarget) throw new CommandError(howToConfigure);
    io.err(howToConfigure);
  }
  const targets = orFail(parseTargets(to, marketplaces, known));
  const referenceReads: Array<string> = [];
  const client = createAdsync(
    orFail(
      layerFromConfig(
        loaded,
        io.environment,
        { onRead: (url) => referenceReads.push(url) },
        registry,
      ),
    ),
  );
  return { loaded, marketplaces, client, targets, referenceReads };
};

export const readJsonFile = (path: string): unknown => {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CommandError(
      `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
};
