#!/usr/bin/env node
import { parseArgs } from "node:util";
import { demo } from "./commands/demo.ts";
import { onListing, status } from "./commands/listing.ts";
import { publish } from "./commands/publish.ts";
import { sandbox } from "./commands/sandbox.ts";
import { validate } from "./commands/validate.ts";
import { CommandError, type Io, nodeIo } from "./context.ts";

export const usage = `adsync — publish vehicle ads to classified marketplaces

usage:
  adsync demo                                   publish a sample stock to the built-in sandbox
  adsync sandbox [--config-out <file>]          start the fake marketplaces on 127.0.0.1
  adsync validate <ad.json> [--to a,b] [--json] local validation: the ad is sent nowhere
  adsync publish <ad.json> [--to a,b] [--wait] [--json]
  adsync status <adId> [--json]
  adsync remove <adId> [--to a,b] [--wait] [--json]
  adsync renew <adId> [--to a,b] [--wait] [--json]
  adsync hide|show <adId> [--to a,b] [--wait] [--json]

options:
  --config <file>   configuration (default adsync.config.json); secrets may be "env:NAME"
  --to a,b          only these marketplaces (default: every configured one)
  --wait            poll until no operation is pending
  --json            machine-readable output

exit codes: 0 ok, 1 an ad or operation failed, 2 usage or configuration error`;

const options = {
  config: { type: "string" },
  to: { type: "string" },
  wait: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  "config-out": { type: "string" },
  "processing-delay-ms": { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Runs one command line; answers the exit code. */
export const main = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, subject] = positionals;
  if (values.help || command === undefined) {
    io.out(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  const needSubject = (what: string): string => {
    if (subject === undefined)
      throw new CommandError(`adsync ${command} needs ${what}.\n\n${usage}`);
    return subject;
  };
  const listingArgs = () => ({
    adId: needSubject("an ad id"),
    to: values.to,
    wait: values.wait,
    json: values.json,
    config: values.config,
  });
  try {
    switch (command) {
      case "demo":
        return await demo(io);
      case "sandbox": {
        const delay = values["processing-delay-ms"];
        const processingDelayMs = delay === undefined ? undefined : Number(delay);
        if (
          processingDelayMs !== undefined &&
          !(Number.isInteger(processingDelayMs) && processingDelayMs >= 0)
        ) {
          throw new CommandError(
            `--processing-delay-ms takes a whole number of milliseconds, not "${delay}".`,
          );
        }
        return await sandbox({ configOut: values["config-out"], processingDelayMs }, io);
      }
      case "validate":
        return await validate(
          {
            file: needSubject("an ad file"),
            to: values.to,
            json: values.json,
            config: values.config,
          },
          io,
        );
      case "publish":
        return await publish(
          {
            file: needSubject("an ad file"),
            to: values.to,
            wait: values.wait,
            json: values.json,
            config: values.config,
          },
          io,
        );
      case "status":
        return await status(listingArgs(), io);
      case "remove":
      case "renew":
      case "hide":
      case "show":
        return await onListing(command)(listingArgs(), io);
      default:
        io.err(`Unknown command: ${command}\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof CommandError) {
      io.err(error.message);
      return 2;
    }
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 2;
  }
};

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "");
if (invokedDirectly) {
  main(process.argv.slice(2), nodeIo).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
