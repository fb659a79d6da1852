import { readFileSync } from "node:fs";
import { stripVTControlCharacters } from "node:util";
import { Command, ValidationError } from "@effect/cli";
import * as NodeContext from "@effect/platform-node/NodeContext";
import { Cause, type Console, Effect, Exit, Option, Ref } from "effect";
import { consoleCommand } from "./commands/console.ts";
import { demoCommand } from "./commands/demo.ts";
import {
  hideCommand,
  refreshCommand,
  removeCommand,
  renewCommand,
  showCommand,
  statusCommand,
} from "./commands/listing.ts";
import { planCommand } from "./commands/plan.ts";
import { promoteCommand } from "./commands/promote.ts";
import { publishCommand } from "./commands/publish.ts";
import { reconcileCommand } from "./commands/reconcile.ts";
import { sandboxCommand } from "./commands/sandbox.ts";
import { syncCommand } from "./commands/sync.ts";
import { validateCommand } from "./commands/validate.ts";
import { watchCommand } from "./commands/watch.ts";
import { workerCommand } from "./commands/worker.ts";
import { CliIo, ExitCode, type Io } from "./context.ts";
import { splitTargets } from "./options.ts";

const packageVersion = (): string => {
  try {
    const manifest: unknown = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    );
    return typeof manifest === "object" &&
      manifest !== null &&
      "version" in manifest &&
      typeof manifest.version === "string"
      ? manifest.version
      : "0.0.0";
  } catch {
    return "0.0.0";
  }
};

export const exitCodesText = `exit codes: ${ExitCode.ok} ok (an operation a marketplace does not support is not a failure), ${ExitCode.failed} an ad or an operation failed, ${ExitCode.usage} usage or configuration error, ${ExitCode.unknownAd} unknown ad id`;

/**
 * Every subcommand, one file each under commands/. A new command is one more file exporting an
 * @effect/cli `Command` and one more entry here.
 */
export const subcommands = [
  demoCommand,
  sandboxCommand,
  validateCommand,
  publishCommand,
  syncCommand,
  planCommand,
  statusCommand,
  refreshCommand,
  reconcileCommand,
  watchCommand,
  removeCommand,
  renewCommand,
  promoteCommand,
  hideCommand,
  showCommand,
  consoleCommand,
  workerCommand,
] as const;

/** `adsync` without a subcommand is answered by `main` (the usage, exit 2); this never runs. */
export const adsyncCommand = Command.make("adsync", {}, () =>
  Effect.flatMap(CliIo, ({ exitCode }) => Ref.set(exitCode, ExitCode.usage)),
).pipe(
  Command.withDescription(
    `Publish vehicle ads to classified marketplaces (Blocket, Tradera, Marktplaats/2dehands, Allegro). ${exitCodesText}. Shell completions: adsync --completions bash|zsh|fish|sh.`,
  ),
  Command.withSubcommands(subcommands),
);

const run = Command.run(adsyncCommand, { name: "adsync", version: packageVersion() });

/** A console that writes through `io`, so in-process callers (tests) capture help and errors. */
const consoleFor = (io: Io, current: Console.Console): Console.Console => {
  const text = (args: ReadonlyArray<unknown>) => {
    const joined = args.map(String).join(" ");
    return io.colors === true ? joined : stripVTControlCharacters(joined);
  };
  const out = (...args: ReadonlyArray<unknown>) => io.out(text(args));
  const err = (...args: ReadonlyArray<unknown>) => io.err(text(args));
  return {
    ...current,
    log: (...args) => Effect.sync(() => out(...args)),
    info: (...args) => Effect.sync(() => out(...args)),
    error: (...args) => Effect.sync(() => err(...args)),
    warn: (...args) => Effect.sync(() => err(...args)),
    unsafe: { ...current.unsafe, log: out, info: out, error: err, warn: err },
  };
};

/**
 * Runs one command line (without `node` and the script); answers the exit code. `io.registry`
 * extends or replaces the marketplaces the run knows (default the four of registry.ts).
 */
export const main = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  if (argv.length === 0) {
    // The usage goes to stderr: a script that forgot its command should not parse it as output.
    await main(["--help"], { ...io, out: io.err });
    return ExitCode.usage;
  }
  const exitCode = Ref.unsafeMake<number>(ExitCode.ok);
  const program = Effect.flatMap(Effect.console, (current) =>
    run(["node", "adsync", ...splitTargets(argv)]).pipe(
      Effect.provideService(CliIo, { io, exitCode }),
      Effect.provide(NodeContext.layer),
      Effect.withConsole(consoleFor(io, current)),
    ),
  );
  const exit = await Effect.runPromiseExit(program);
  if (Exit.isSuccess(exit)) return Effect.runSync(Ref.get(exitCode));
  // A parse error was printed by @effect/cli with the usage; anything else is printed here.
  const failure = Cause.failureOption(exit.cause);
  if (Option.isNone(failure) || !ValidationError.isValidationError(failure.value))
    io.err(Cause.pretty(exit.cause));
  return ExitCode.usage;
};
