import type { ListingStatus, SyncSummary } from "@adsync/core";
import { Args, Command, Options } from "@effect/cli";
import { ExitCode, type Io, openSession, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { statusJson, statusText } from "../render.ts";
import { adIdOf, readStock, stockTargetSets } from "../stock.ts";

export interface SyncArgs {
  readonly stock: string;
  readonly to?: string | undefined;
  readonly removeMissing: boolean;
  readonly wait?: boolean | undefined;
  readonly json: boolean;
  readonly config?: string | undefined;
}

const bar = (done: number, total: number, width = 30) => {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ads`;
};

/** The outcome counts of every target set's sync, added up per marketplace and result. */
const mergedOutcomes = (summaries: ReadonlyArray<SyncSummary>) => {
  const merged: Record<string, Record<string, number>> = {};
  for (const summary of summaries)
    for (const [marketplace, counts] of Object.entries(summary.outcomes)) {
      const target = merged[marketplace] ?? {};
      for (const [result, count] of Object.entries(counts))
        target[result] = (target[result] ?? 0) + (count ?? 0);
      merged[marketplace] = target;
    }
  return merged;
};

const failedIn = (summary: SyncSummary) =>
  Object.values(summary.outcomes).some(
    (counts) => (counts.failed ?? 0) > 0 || (counts.invalid ?? 0) > 0,
  );

/**
 * `adsync sync <stock>`: publishes the whole stock through the publisher's `sync` (batched
 * creates where a marketplace publishes in batches, optional removal of ads no longer in the
 * stock). With `--json`, or when stdout is not a terminal, one JSON line per ad·marketplace
 * and a last `summary` line; otherwise a progress bar on stderr and a table.
 */
export const sync = async (args: SyncArgs, io: Io): Promise<number> => {
  const session = openSession(args.config, args.to, io);
  try {
    const stock = readStock(args.stock);
    // Entries that name their own targets are synced per target set, in order of first
    // appearance (the lines of one set follow its `sync`).
    const groups = stockTargetSets(session, stock, args.removeMissing);
    // A bar needs a terminal on stderr, a table one on stdout; anything else reads JSON lines.
    const lines = args.json || io.colors !== true || io.progress === undefined;
    let pulled = 0;
    const summaries: Array<SyncSummary> = [];
    let failedListing = false;
    const statuses: Array<ListingStatus> = [];
    for (const group of groups) {
      const inventory = (function* () {
        for (const entry of group.entries) {
          pulled += 1;
          if (!lines) io.progress?.(bar(pulled, stock.length));
          yield entry.ad;
        }
      })();
      summaries.push(
        await session.client.sync(inventory, {
          to: group.to,
          removeMissing: args.removeMissing,
          // What the sync left pending is polled in bulk (a page of listings per read).
          settle: args.wait === true,
        }),
      );
      const targets = group.to ?? session.marketplaces;
      for (const entry of group.entries) {
        const adId = adIdOf(entry.ad);
        const stored = adId === undefined ? [] : await session.client.status(adId);
        // In the order of the targets, whatever order the store keeps them in.
        const listed = targets.flatMap((target) =>
          stored.filter((status) => status.marketplace === target),
        );
        const missing = targets.filter(
          (target) => !listed.some((status) => status.marketplace === target),
        );
        // Nothing stored for a target: the ad was invalid there and nothing was sent.
        const validation =
          missing.length > 0 ? await session.client.validate(entry.ad, { to: missing }) : undefined;
        for (const status of listed) {
          if (status.state.operation?.status === "failed") failedListing = true;
          statuses.push(status);
          if (lines) io.out(JSON.stringify({ type: "listing", ...statusJson(status) }));
        }
        for (const marketplace of missing) {
          const issues = validation?.issues[marketplace] ?? [];
          if (lines)
            io.out(
              JSON.stringify({
                type: "listing",
                adId: adId ?? null,
                marketplace,
                result: "invalid",
                issues,
              }),
            );
          else
            io.err(
              `${adId ?? entry.name} on ${marketplace}: invalid, nothing sent (${issues.length} issue(s))`,
            );
        }
      }
    }
    const summary = {
      ads: summaries.reduce((total, each) => total + each.ads, 0),
      outcomes: mergedOutcomes(summaries),
      removed: summaries.flatMap((each) => each.removed),
    };
    if (lines) io.out(JSON.stringify({ type: "summary", ...summary }));
    else {
      io.progress?.(`${bar(stock.length, stock.length)}\n`);
      io.out(statusText(statuses));
      if (summary.removed.length > 0) io.out(`removed: ${summary.removed.join(", ")}`);
    }
    return summaries.some(failedIn) || failedListing ? ExitCode.failed : ExitCode.ok;
  } finally {
    await session.client.close();
  }
};

export const syncCommand = Command.make(
  "sync",
  {
    stock: Args.file({ name: "stock.json|stock.ndjson", exists: "yes" }).pipe(
      Args.withDescription(
        "A JSON array of ads (or of {file, to} entries naming ad files), or one ad per line (.ndjson).",
      ),
    ),
    to: options.to,
    removeMissing: Options.boolean("remove-missing").pipe(
      Options.withDescription("Remove the listings of ads that are no longer in the stock."),
    ),
    wait: Options.boolean("wait").pipe(
      Options.withDescription(
        "Poll what the sync left pending, in bulk, until it settles (2 minutes at most).",
      ),
    ),
    json: options.json,
    config: options.config,
  },
  (args) => runCommand((io) => sync(args, io)),
).pipe(
  Command.withDescription(
    "Publish a whole stock. Exit 1 when an ad was invalid or a marketplace refused one.",
  ),
);
