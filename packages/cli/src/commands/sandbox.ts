import { writeFileSync } from "node:fs";
import {
  type FakeDefinition,
  type RunningFakes,
  type SandboxFakeOptions,
  startFakes,
} from "@adsync/sandbox";
import { Command, Options } from "@effect/cli";
import { Option } from "effect";
import type { ConfigFile } from "../config.ts";
import { type Io, runCommand } from "../context.ts";
import { defaultRegistry, type Registry } from "../registry.ts";

/** A config file that points marketplaces at a running sandbox, their sections as written. */
export interface SandboxConfig extends ConfigFile {
  readonly marketplaces: Readonly<Record<string, unknown>>;
}

/**
 * A config that points every marketplace of the registry that has a fake at a running sandbox
 * (`urls`: each fake's base URLs by name, as `startSandbox` and `startFakes` answer them), with
 * the fakes' credentials; circuit breakers as configured by default.
 */
export const sandboxConfig = (
  sandbox: { readonly urls: Readonly<Record<string, string>> },
  store: ConfigFile["store"],
  registry: Registry = defaultRegistry,
): SandboxConfig => ({
  store,
  breakers: { enabled: true },
  marketplaces: Object.fromEntries(
    registry.flatMap(({ descriptor, sandbox: fake }) =>
      fake === undefined ? [] : [[descriptor.id, fake.section(sandbox.urls)]],
    ),
  ),
});

/** Starts the fake of every marketplace of the registry that has one. */
export const startRegistryFakes = (
  registry: Registry,
  options: SandboxFakeOptions = {},
): Promise<RunningFakes> =>
  startFakes(
    Object.fromEntries(
      registry.flatMap(
        ({ descriptor, sandbox }): ReadonlyArray<[string, FakeDefinition]> =>
          sandbox === undefined ? [] : [[descriptor.id, sandbox.fake]],
      ),
    ),
    options,
  );

export interface SandboxArgs {
  readonly configOut?: string | undefined;
  readonly processingDelayMs?: number | undefined;
}

/**
 * `adsync sandbox`: starts the fake marketplaces on 127.0.0.1, prints one JSON line of their
 * base URLs and serves until SIGINT/SIGTERM.
 */
export const sandbox = async (args: SandboxArgs, io: Io): Promise<number> => {
  const registry = io.registry ?? defaultRegistry;
  const running = await startRegistryFakes(
    registry,
    args.processingDelayMs === undefined ? {} : { processingDelayMs: args.processingDelayMs },
  );
  if (args.configOut !== undefined) {
    const config = sandboxConfig(running, { type: "sqlite", path: ".adsync/sandbox.db" }, registry);
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
