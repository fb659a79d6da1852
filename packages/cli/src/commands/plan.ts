import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  AdsyncError,
  type FieldChange,
  type ListingPlan,
  type PlannedRequest,
  type PlanResult,
  Publisher,
  type PublisherService,
} from "@adsync/core";
import { Args, Command, Options } from "@effect/cli";
import { Console, Effect, Option } from "effect";
import { issueLines, table } from "../render.ts";

/** What `adsync plan` is asked. */
export interface PlanArgs {
  /** An ad (.json), a stock (.json array, or the demo's index of files) or one ad a line (.ndjson). */
  readonly inventory: string;
  readonly to?: ReadonlyArray<string> | undefined;
  readonly removeMissing: boolean;
  readonly json: boolean;
}

const unreadable = (path: string, cause: unknown) =>
  new AdsyncError({
    reason: "Configuration",
    message: `${path} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
  });

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An entry of an index like docs/examples/demo-stock.json: `{ "file": "01-car.json" }`. */
const isIndexEntry = (value: unknown): value is { readonly file: string } =>
  isRecord(value) && typeof value.file === "string" && value.id === undefined;

/**
 * The ads of an inventory file: `.ndjson` is one ad a line; `.json` is one ad, an array of
 * ads, or an index of ad files (`[{ "file": "01-car.json" }]`, relative to the index).
 */
export const readInventory = (path: string): Effect.Effect<ReadonlyArray<unknown>, AdsyncError> =>
  Effect.try({
    try: () => {
      const text = readFileSync(path, "utf8");
      if (path.endsWith(".ndjson"))
        return text
          .split("\n")
          .filter((line) => line.trim().length > 0)
          .map((line): unknown => JSON.parse(line));
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) return [parsed];
      return parsed.map((entry: unknown): unknown =>
        isIndexEntry(entry)
          ? JSON.parse(readFileSync(resolve(dirname(path), entry.file), "utf8"))
          : entry,
      );
    },
    catch: (cause) => unreadable(path, cause),
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
 * The core of `adsync plan`: reads the inventory, plans it on the publisher (no write is
 * sent, the store is not changed) and renders the table or, with `json`, the plan itself.
 */
export const runPlan = (publisher: PublisherService, args: PlanArgs) =>
  Effect.gen(function* () {
    const ads = yield* readInventory(args.inventory);
    const result = yield* publisher.plan(ads, {
      to: args.to,
      removeMissing: args.removeMissing,
    });
    return args.json ? JSON.stringify(result, null, 2) : planText(result);
  });

/** `--to a,b` as a list (the root command checks the names against the configuration). */
const targetsOf = (value: Option.Option<string>) =>
  Option.getOrUndefined(
    Option.map(value, (text) =>
      text
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry.length > 0),
    ),
  );

/**
 * `adsync plan <ad.json | stock.json | stock.ndjson> [--to …] [--remove-missing] [--json]`:
 * what publishing would do and send, per ad and marketplace. Needs a `Publisher` in context.
 */
export const planCommand = Command.make(
  "plan",
  {
    inventory: Args.text({ name: "ad.json | stock.json | stock.ndjson" }),
    to: Options.text("to").pipe(
      Options.withDescription("Marketplaces, comma-separated (default: every configured one)"),
      Options.optional,
    ),
    removeMissing: Options.boolean("remove-missing").pipe(
      Options.withDescription("Also plan removing listings whose ad is not in the inventory"),
    ),
    json: Options.boolean("json").pipe(Options.withDescription("Print the plan as JSON")),
  },
  (options) =>
    Effect.flatMap(Publisher, (publisher) =>
      runPlan(publisher, {
        inventory: options.inventory,
        to: targetsOf(options.to),
        removeMissing: options.removeMissing,
        json: options.json,
      }),
    ).pipe(Effect.flatMap(Console.log)),
).pipe(
  Command.withDescription(
    "Show what publishing would do and send — create, update, unchanged, invalid, remove — sending no write",
  ),
);
