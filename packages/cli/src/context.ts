import { readFileSync } from "node:fs";
import { type AdsyncClient, createAdsync } from "@adsync/core";
import { Either } from "effect";
import { howToConfigure, type LoadedConfig, loadConfig } from "./config.ts";
import { configuredMarketplaces, layerFromConfig, parseTargets } from "./marketplaces.ts";

/** What a command gets: where to write, and the environment to read secrets from. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly environment: NodeJS.ProcessEnv;
}

export const nodeIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  environment: process.env,
};

/** A failure that ends the command with a message and exit code 2 (usage or configuration). */
export class CommandError {
  readonly _tag = "CommandError";
  constructor(readonly message: string) {}
}

export const orFail = <A>(value: Either.Either<A, string>): A => {
  if (Either.isLeft(value)) throw new CommandError(value.left);
  return value.right;
};

export interface Session {
  readonly loaded: LoadedConfig;
  readonly marketplaces: ReadonlyArray<string>;
  readonly client: AdsyncClient;
  readonly targets: ReadonlyArray<string> | undefined;
}

/** Loads the config and opens the publisher; commands close it when done. */
export const openSession = (
  configPath: string | undefined,
  to: string | undefined,
  io: Io,
  /** Publishing commands need a marketplace; validation still checks the canonical ad without one. */
  requireTarget = true,
): Session => {
  const loaded = orFail(loadConfig(configPath));
  const marketplaces = configuredMarketplaces(loaded);
  if (marketplaces.length === 0) {
    if (requireTarget) throw new CommandError(howToConfigure);
    io.err(howToConfigure);
  }
  const targets = orFail(parseTargets(to, marketplaces));
  const client = createAdsync(orFail(layerFromConfig(loaded, io.environment)));
  return { loaded, marketplaces, client, targets };
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
