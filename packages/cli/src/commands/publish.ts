import {
  type LifecycleEvent,
  type ListingOutcome,
  type ListingStatus,
  type PublishResult,
  uncheckedAd,
} from "@adsync/core";
import { Command } from "@effect/cli";
import {
  ExitCode,
  type Io,
  openSession,
  readJsonFile,
  runCommand,
  type Session,
} from "../context.ts";
import * as options from "../options.ts";
import {
  operationText,
  outcomeJson,
  outcomesText,
  rawText,
  statusJson,
  statusText,
} from "../render.ts";

/** The options of the commands whose operations `report` prints: publish, remove, renew, promote. */
export interface OperationArgs {
  readonly to?: string | undefined;
  readonly wait: boolean;
  readonly json: boolean;
  readonly config?: string | undefined;
}

export interface PublishArgs extends OperationArgs {
  readonly file: string;
}

/** An operation the marketplace does not offer (e.g. `renew` on Marktplaats): said, not failed. */
export const unsupported = (outcome: ListingOutcome) => outcome.reason === "Unsupported";

const failed = (result: PublishResult) =>
  result.outcomes.some(
    (outcome) =>
      !unsupported(outcome) && (outcome.result === "failed" || outcome.result === "invalid"),
  );

const settledFailed = (statuses: ReadonlyArray<ListingStatus>) =>
  statuses.some((status) => status.state.operation?.status === "failed");

/**
 * One line on stderr per lifecycle event while `--wait` waits: text, or a JSON object per line
 * with `--json` (stdout keeps the one final JSON document).
 */
export const progressLine = (event: LifecycleEvent, json: boolean): string =>
  json
    ? JSON.stringify({
        event: "progress",
        adId: event.adId,
        marketplace: event.marketplace,
        observation: event.observation._tag,
        presence: event.state.presence,
        operation: event.state.operation?.kind ?? null,
        operationStatus: event.state.operation?.status ?? null,
      })
    : `  · ${event.adId} on ${event.marketplace}: ${event.state.presence}, ${operationText(event.state)}${rawText(event.state.raw)}`;

/** Prints a publish/remove/renew result, waiting until settled with --wait. Exit 1 on any failure. */
export const report = async (
  session: Session,
  result: PublishResult,
  args: { readonly wait: boolean; readonly json: boolean },
  io: Io,
): Promise<number> => {
  const unsupportedOn = result.outcomes.filter(unsupported);
  for (const outcome of unsupportedOn)
    io.err(`${outcome.adId}: not supported on ${outcome.marketplace}`);
  const supported = result.outcomes.filter((outcome) => !unsupported(outcome));
  if (!args.wait || supported.length === 0) {
    if (args.json)
      io.out(
        JSON.stringify(
          { adId: result.adId, marketplaces: result.outcomes.map(outcomeJson) },
          null,
          2,
        ),
      );
    else io.out(outcomesText(result.outcomes));
    return failed(result) ? ExitCode.failed : ExitCode.ok;
  }
  const stopWatching = session.client.watch((event) => {
    if (event.observation._tag !== "Started") io.err(progressLine(event, args.json));
  }, result.adId);
  const statuses = await session.client
    .awaitSettled(result.adId, { to: supported.map((outcome) => outcome.marketplace) })
    .finally(stopWatching);
  const byMarketplace = new Map(statuses.map((status) => [status.marketplace, status]));
  if (args.json) {
    const marketplaces = result.outcomes.map((outcome) => {
      const status = byMarketplace.get(outcome.marketplace);
      // Outcomes that sent nothing (invalid, unknown target, unsupported) have no status to report.
      return status === undefined || outcome.result === "invalid" || unsupported(outcome)
        ? outcomeJson(outcome)
        : { ...statusJson(status), result: outcome.result };
    });
    io.out(JSON.stringify({ adId: result.adId, marketplaces }, null, 2));
  } else {
    const unsettled = result.outcomes.filter(
      (outcome) => !byMarketplace.has(outcome.marketplace) || outcome.result === "invalid",
    );
    if (unsettled.length > 0) io.out(outcomesText(unsettled));
    io.out(statusText(statuses));
  }
  return failed(result) || settledFailed(statuses) ? ExitCode.failed : ExitCode.ok;
};

export const publish = async (args: PublishArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io);
  try {
    const result = await session.client.publish(uncheckedAd(readJsonFile(args.file)), {
      to: session.targets,
    });
    return await report(session, result, args, io);
  } finally {
    await session.client.close();
  }
};

export const publishCommand = Command.make(
  "publish",
  {
    file: options.adFile,
    to: options.to,
    wait: options.wait,
    json: options.json,
    config: options.config,
  },
  (args) => runCommand((io) => publish(args, io)),
).pipe(
  Command.withDescription(
    "Create or update the ad on every configured marketplace (or the --to ones). Exit 1 when a marketplace refused it.",
  ),
);
