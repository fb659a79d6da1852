import { writeFileSync } from "node:fs";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  BLOCKET_SANDBOX_DEALER_CODES,
  BLOCKET_SANDBOX_TOKEN,
  MARKTPLAATS_SANDBOX_CLIENT,
  type Sandbox,
  startSandbox,
  TRADERA_SANDBOX_DEALER_CODES,
  TRADERA_SANDBOX_TOKEN,
} from "@adsync/sandbox";
import { Command, Options } from "@effect/cli";
import { Option } from "effect";
import type { ConfigFile } from "../config.ts";
import { type Io, runCommand } from "../context.ts";

/** A config that points every marketplace at a running sandbox, with its credentials. */
export const sandboxConfig = (sandbox: Sandbox, store: ConfigFile["store"]): ConfigFile => ({
  store,
  marketplaces: {
    blocket: {
      baseUrl: sandbox.urls.blocket,
      token: BLOCKET_SANDBOX_TOKEN,
      tokenScope: "dealer_group",
      dealerCode: BLOCKET_SANDBOX_DEALER_CODES[0] ?? "DEALER1",
      apiVersion: "v4",
    },
    allegro: {
      baseUrl: sandbox.urls.allegro,
      clientId: ALLEGRO_SANDBOX_CLIENT_ID,
      clientSecret: ALLEGRO_SANDBOX_CLIENT_SECRET,
      refreshToken: ALLEGRO_SANDBOX_REFRESH_TOKEN,
    },
    marktplaats: {
      baseUrl: sandbox.urls.marktplaats,
      tokenUrl: sandbox.urls.marktplaatsToken,
      clientId: MARKTPLAATS_SANDBOX_CLIENT.clientId,
      clientSecret: MARKTPLAATS_SANDBOX_CLIENT.clientSecret,
      refreshToken: MARKTPLAATS_SANDBOX_CLIENT.refreshToken,
    },
    tradera: {
      baseUrl: sandbox.urls.tradera,
      token: TRADERA_SANDBOX_TOKEN,
      dealerCode: TRADERA_SANDBOX_DEALER_CODES[0] ?? "DEALER1",
    },
  },
});

export interface SandboxArgs {
  readonly configOut?: string | undefined;
  readonly processingDelayMs?: number | undefined;
}

/**
 * `adsync sandbox`: starts the fake marketplaces on 127.0.0.1, prints one JSON line of their
 * base URLs and serves until SIGINT/SIGTERM.
 */
export const sandbox = async (args: SandboxArgs, io: Io): Promise<number> => {
  const processing =
    args.processingDelayMs === undefined ? {} : { processingDelayMs: args.processingDelayMs };
  const running = await startSandbox({
    blocket: processing,
    tradera: processing,
    ...(args.processingDelayMs === undefined
      ? {}
      : { allegro: { taskDelayMs: args.processingDelayMs } }),
  });
  if (args.configOut !== undefined) {
    const config = sandboxConfig(running, { type: "sqlite", path: ".adsync/sandbox.db" });
    writeFileSync(args.configOut, `${JSON.stringify(config, null, 2)}\n`);
  }
  io.out(
    JSON.stringify({
      ...running.urls,
      ...(args.configOut === undefined ? {} : { config: args.configOut }),
    }),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await running.close();
  return 0;
};

export const sandboxCommand = Command.make(
  "sandbox",
  {
    configOut: Options.file("config-out").pipe(
      Options.withDescription("Write a config that points every marketplace at this sandbox."),
      Options.optional,
      Options.map(Option.getOrUndefined),
    ),
    processingDelayMs: Options.integer("processing-delay-ms").pipe(
      Options.withDescription("How long each fake marketplace takes to process (milliseconds)."),
      Options.filterMap(
        (value) => (value >= 0 ? Option.some(value) : Option.none()),
        "--processing-delay-ms takes a whole number of milliseconds ≥ 0.",
      ),
      Options.optional,
      Options.map(Option.getOrUndefined),
    ),
  },
  (args) => runCommand((io) => sandbox(args, io)),
).pipe(
  Command.withDescription(
    "Start the fake marketplaces on 127.0.0.1, print their URLs as one JSON line and serve until SIGINT/SIGTERM.",
  ),
);
