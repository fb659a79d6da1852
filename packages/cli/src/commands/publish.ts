import { type ListingStatus, type PublishResult, uncheckedAd } from "@adsync/core";
import { type Io, openSession, readJsonFile, type Session } from "../context.ts";
import { outcomeJson, outcomesText, statusJson, statusText } from "../render.ts";

export interface PublishArgs {
  readonly file: string;
  readonly to?: string | undefined;
  readonly wait: boolean;
  readonly json: boolean;
  readonly config?: string | undefined;
}

const failed = (result: PublishResult) =>
  result.outcomes.some((outcome) => outcome.result === "failed" || outcome.result === "invalid");

const settledFailed = (statuses: ReadonlyArray<ListingStatus>) =>
  statuses.some((status) => status.state.operation?.status === "failed");

/** Prints a publish/remove/renew result, waiting until settled with --wait. Exit 1 on any failure. */
export const report = async (
  session: Session,
  result: PublishResult,
  options: { readonly wait: boolean; readonly json: boolean },
  io: Io,
): Promise<number> => {
  if (!options.wait) {
    if (options.json)
      io.out(
        JSON.stringify(
          { adId: result.adId, marketplaces: result.outcomes.map(outcomeJson) },
          null,
          2,
        ),
      );
    else io.out(outcomesText(result.outcomes));
    return failed(result) ? 1 : 0;
  }
  const statuses = await session.client.awaitSettled(result.adId, {
    to: result.outcomes.map((outcome) => outcome.marketplace),
  });
  const byMarketplace = new Map(statuses.map((status) => [status.marketplace, status]));
  if (options.json) {
    const marketplaces = result.outcomes.map((outcome) => {
      const status = byMarketplace.get(outcome.marketplace);
      // Outcomes that sent nothing (invalid, unknown target) have no stored status to report.
      return status === undefined || outcome.result === "invalid"
        ? outcomeJson(outcome)
        : { ...statusJson(status), result: outcome.result };
    });
    io.out(JSON.stringify({ adId: result.adId, marketplaces }, null, 2));
  } else {
    io.out(
      outcomesText(
        result.outcomes.filter(
          (outcome) => !byMarketplace.has(outcome.marketplace) || outcome.result === "invalid",
        ),
      ),
    );
    io.out(statusText(statuses));
  }
  return failed(result) || settledFailed(statuses) ? 1 : 0;
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
