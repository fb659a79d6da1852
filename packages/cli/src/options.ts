import { Args, Options } from "@effect/cli";
import { Option } from "effect";
import { defaultRegistry, marketplaceIds } from "./registry.ts";

/** The options most commands share, each with the help line `--help` prints. */
export const config = Options.file("config").pipe(
  Options.withDescription(
    'The configuration file (default adsync.config.json); secrets may be written "env:NAME".',
  ),
  Options.optional,
  Options.map(Option.getOrUndefined),
);

export const json = Options.boolean("json").pipe(
  Options.withDescription("Machine-readable output: JSON on stdout."),
);

export const wait = Options.boolean("wait").pipe(
  Options.withDescription(
    "Poll until no operation is pending, printing each listing's progress to stderr.",
  ),
);

/**
 * `--to` names marketplaces; it may be repeated or comma-separated (`--to blocket,tradera`,
 * which `main` splits before parsing). Each must be in the run's registry (registry.ts, which a
 * caller of `main` may extend) and configured, both checked when the config is read.
 */
export const to = Options.text("to").pipe(
  Options.withDescription(
    `Only this marketplace (repeat or comma-separate for several): ${marketplaceIds(defaultRegistry).join(", ")}.`,
  ),
  Options.repeated,
  Options.map((targets) => (targets.length === 0 ? undefined : targets.join(","))),
);

export const adId = Args.text({ name: "adId" }).pipe(
  Args.withDescription("The ad's id (the `id` field of the ad that was published)."),
);

export const adFile = Args.file({ name: "ad.json", exists: "yes" }).pipe(
  Args.withDescription("A canonical vehicle ad as JSON (docs/examples has samples)."),
);

/** `--to a,b` → `--to a --to b`, so the typed choice accepts the comma form too. */
export const splitTargets = (argv: ReadonlyArray<string>): ReadonlyArray<string> =>
  argv.flatMap((argument, index) => {
    if (argv[index - 1] === "--to" && argument.includes(","))
      return argument
        .split(",")
        .map((target) => target.trim())
        .filter((target) => target.length > 0)
        .flatMap((target, position) => (position === 0 ? [target] : ["--to", target]));
    if (argument.startsWith("--to=")) return splitTargets(["--to", argument.slice(5)]);
    return [argument];
  });
