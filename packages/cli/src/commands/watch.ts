import { Command, Options } from "@effect/cli";
import { Option } from "effect";
import { ExitCode, type Io, openSession, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { eventLine } from "../render.ts";
import { untilStopped } from "./reconcile.ts";

export interface WatchArgs {
  readonly json: boolean;
  readonly after?: number | undefined;
  readonly ad?: string | undefined;
  readonly config?: string | undefined;
}

const after = Options.integer("after").pipe(
  Options.withDescription(
    "Resume after this cursor (the `cursor` of the last event handled); default: from now on.",
  ),
  Options.filterMap(
    (value) => (value >= 0 ? Option.some(value) : Option.none()),
    "expected a cursor of 0 or more",
  ),
  Options.optional,
  Options.map(Option.getOrUndefined),
);

const ad = Options.text("ad").pipe(
  Options.withDescription("Only the events of this ad."),
  Options.optional,
  Options.map(Option.getOrUndefined),
);

/**
 * `adsync watch`: streams the store's lifecycle events (whichever process records them: a
 * publish, a reconcile) until SIGINT/SIGTERM, one line each; `--json` gives JSON lines with the
 * event's `cursor`, to resume with `--after`.
 */
export const watch = async (args: WatchArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, undefined, io, false);
  try {
    const stop = session.client.watch((event) => io.out(eventLine(event, args.json)), {
      adId: args.ad,
      after: args.after,
    });
    await untilStopped();
    stop();
    return ExitCode.ok;
  } finally {
    await session.client.close();
  }
};

export const watchCommand = Command.make(
  "watch",
  { json: options.json, after, ad, config: options.config },
  (args) => runCommand((io) => watch(args, io)),
).pipe(
  Command.withDescription(
    "Stream every lifecycle event of the store as it is recorded (by any process), until SIGINT/SIGTERM. --json: one JSON object per line with its cursor; --after <cursor> resumes without missing or repeating an event.",
  ),
);
