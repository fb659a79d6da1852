import {
  AdsyncError,
  type FieldChange,
  type ListingPlan,
  type PlannedRequest,
  type PlanResult,
} from "@adsync/core";
import { Args, Command, Options } from "@effect/cli";
import { Effect } from "effect";
import { CommandError, ExitCode, openSession, runCommand } from "../context.ts";
import * as options from "../options.ts";
import { issueLines, table } from "../render.ts";
import { readStock, type StockAd, stockTargetSets } from "../stock.ts";

/**
 * The ads of an inventory file, read as `adsync sync` reads a stock (stock.ts): `.ndjson` is
 * one ad a line; `.json` is one ad, an array of ads, or an index of ad files.
 */
export const readInventory = (path: string): Effect.Effect<ReadonlyArray<StockAd>, AdsyncError> =>
  Effect.try({
    try: () => readStock(path),
    catch: (cause) =>
      new AdsyncError({
        reason: "Configuration",
        message: cause instanceof Error ? cause.message : String(cause),
      }),
  });

const valueText = (value: unknown): string => {
  const text = JSON.stringify(value) ?? "-";
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
};

const changeText = (change: FieldChange): string =>
  `${change.path}: ${"before" in change ? valueText(change.before) : "(none)"} → ${"after" in change ? valueText(change.after) : "(removed)"}`;

const requestText = (request: PlannedRequest): string => `${request.method} ${request.path}`;

/** The first request that changes something (else the first), and how many more: `--json` has all. */
const requestsText = (requests: ReadonlyArray<PlannedRequest>): string => {
  const first = requests.find((request) => request.method !== "GET") ?? requests[0];
  if (first === undefined) return "-";
  return requests.length === 1
    ? requestText(first)
    : `${requestText(first)} (+${requests.length - 1} more)`;
};

const costText = (listing: ListingPlan): string =>
  listing.cost === undefined
    ? ""
    : `${listing.cost.total.amount} ${listing.cost.total.currency}${listing.cost.aboveMaximum ? ` (above maxFee ${listing.cost.maximum})` : ""}`;

/** The plan as a table (ad, marketplace, action, requests, diff, cost), then issues and notes. */
export const planText = (result: PlanResult): string => {
  const rows = result.listings.map((listing) => [
    listing.adId || "(no id)",
    listing.marketplace,
    listing.action,
    requestsText(listing.requests),
    listing.changes.length === 0 ? "-" : listing.changes.map(changeText).join("; "),
    costText(listing) || "-",
  ]);
  const details = result.listings.flatMap((listing) => {
    const lines = [
      ...issueLines(listing.issues, listing.warnings),
      ...listing.notes.map((note) => `    · ${note}`),
    ];
    return lines.length === 0
      ? []
      : [`${listing.adId || "(no id)"} on ${listing.marketplace}:`, ...lines];
  });
  const counts = new Map<string, number>();
  for (const listing of result.listings)
    counts.set(listing.action, (counts.get(listing.action) ?? 0) + 1);
  const summary = [...counts].map(([action, count]) => `${count} ${action}`).join(", ");
  return [
    table(["ad", "marketplace", "action", "requests", "diff", "cost"], rows),
    ...(details.length === 0 ? [] : ["", ...details]),
    "",
    `${result.ads} ads: ${summary || "nothing to do"}. Nothing was sent.`,
  ].join("\n");
};

/**
 * `adsync plan <ad.json | stock.json | stock.ndjson> [--to …] [--remove-missing] [--json]`:
 * what publishing would do and send, per ad and marketplace, over the configured store and
 * marketplaces. Exit 1 when a listing could not be planned (`failed`).
 */
export const planCommand = Command.make(
  "plan",
  {
    inventory: Args.file({ name: "ad.json | stock.json | stock.ndjson", exists: "yes" }),
    to: options.to,
    removeMissing: Options.boolean("remove-missing").pipe(
      Options.withDescription("Also plan removing listings whose ad is not in the inventory"),
    ),
    json: options.json,
    config: options.config,
  },
  (args) =>
    runCommand(async (io) => {
      const session = openSession(args.config, args.to, io);
      try {
        const stock = await Effect.runPromise(
          readInventory(args.inventory).pipe(
            Effect.mapError((error) => new CommandError(error.message)),
          ),
        );
        // Entries that name their own targets are planned per target set, as `sync` publishes.
        const groups = stockTargetSets(session, stock, args.removeMissing);
        const results = [];
        for (const group of groups)
          results.push(
            await session.client.plan(
              group.entries.map((entry) => entry.ad),
              { to: group.to, removeMissing: args.removeMissing },
            ),
          );
        const result: PlanResult = {
          ads: results.reduce((sum, each) => sum + each.ads, 0),
          listings: results.flatMap((each) => each.listings),
        };
        io.out(args.json ? JSON.stringify(result, null, 2) : planText(result));
        return result.listings.some((listing) => listing.action === "failed")
          ? ExitCode.failed
          : ExitCode.ok;
      } finally {
        await session.client.close();
      }
    }),
).pipe(
  Command.withDescription(
    "Show what publishing would do and send — create, update, unchanged, invalid, remove — sending no write",
  ),
);
