import type { ReconcileReport } from "@adsync/core";
import { Command, Options } from "@effect/cli";
import { Duration, Option } from "effect";
import { ExitCode, type Io, openSession, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { reconcileText } from "../render.ts";

export interface ReconcileArgs {
  readonly to?: string | undefined;
  readonly every?: Duration.Duration | undefined;
  readonly changes: boolean;
  readonly json: boolean;
  readonly config?: string | undefined;
}

/** A duration as written on a command line: "90s", "5m", "1h", "500ms" or "5 minutes". */
export const parseDuration = (text: string): Option.Option<Duration.Duration> => {
  const short = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (short !== null) {
    const units = { ms: "millis", s: "seconds", m: "minutes", h: "hours" } as const;
    const unit = units[short[2] as keyof typeof units];
    return Option.some(Duration.decode(`${Number(short[1])} ${unit}`));
  }
  return Duration.decodeUnknown(text).pipe(
    Option.filter((duration) => Duration.greaterThan(duration, Duration.zero)),
  );
};

const every = Options.text("every").pipe(
  Options.withDescription(
    'Keep going: a pass every <duration> ("30s", "5m", "1h") until SIGINT/SIGTERM.',
  ),
  Options.filterMap(parseDuration, 'expected a duration such as "30s", "5m" or "1h"'),
  Options.optional,
  Options.map(Option.getOrUndefined),
);

const changes = Options.boolean("changes").pipe(
  Options.withDescription(
    "Ask marketplaces with a change feed (Allegro's offer events) only for what changed since the last pass.",
  ),
);

const failedAny = (report: ReconcileReport) =>
  Object.values(report.marketplaces).some((done) => done.failed > 0);

const printReport = (report: ReconcileReport, json: boolean, io: Io) =>
  io.out(json ? JSON.stringify(report) : reconcileText(report));

/** Resolves on the first SIGINT or SIGTERM. */
export const untilStopped = () =>
  new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

/**
 * `adsync reconcile`: one observation pass over every listing in the store (bulk reads where the
 * adapter has them), printing per marketplace what was read and changed; `--every` keeps going.
 */
export const reconcile = async (args: ReconcileArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io);
  const mode = args.changes ? "changes" : "full";
  try {
    if (args.every === undefined) {
      const report = await session.client.reconcile({ to: session.targets, mode });
      printReport(report, args.json, io);
      return failedAny(report) ? ExitCode.failed : ExitCode.ok;
    }
    const stop = session.client.reconcileEvery(
      { to: session.targets, mode, every: args.every },
      (report) => printReport(report, args.json, io),
    );
    await untilStopped();
    await stop();
    return ExitCode.ok;
  } finally {
    await session.client.close();
  }
};

export const reconcileCommand = Command.make(
  "reconcile",
  { to: options.to, every, changes, json: options.json, config: options.config },
  (args) => runCommand((io) => reconcile(args, io)),
).pipe(
  Command.withDescription(
    "Read every listing in the store back from its marketplace in bulk and record what changed there (expired, removed, hidden, rejected, edited). Prints per marketplace: read, changed, calls. Exit 1 when a marketplace could not be read.",
  ),
);
