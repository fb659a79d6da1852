import { groupByTargets, type ListingPlan, Publisher } from "@adsync/core";
import { HttpServerRequest, HttpServerResponse } from "@effect/platform";
import { Effect } from "effect";
import type { ConsoleOptions } from "./console-options.ts";
import type { PlanAction, PlanRow, PlanView } from "./wire.ts";

/**
 * `POST /api/plan`: what publishing the console's stock would do, per ad and marketplace, from
 * `publisher.plan` — which sends no write and changes nothing in the store. A POST all the same
 * (it reads every marketplace's reference data and can be slow), so it carries the same
 * cross-site guards as the other actions (security.ts).
 */

const refuse = (status: number, message: string) =>
  HttpServerResponse.unsafeJson({ ok: false, message }, { status });

/** The plan as the page shows it: no stored state, no raw marketplace quote. */
export const planRow = (listing: ListingPlan): PlanRow => ({
  adId: listing.adId,
  marketplace: listing.marketplace,
  action: listing.action,
  requests: listing.requests.map((request) => ({
    method: request.method,
    path: request.path,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.note === undefined ? {} : { note: request.note }),
  })),
  changes: listing.changes,
  issues: listing.issues,
  warnings: listing.warnings,
  notes: listing.notes,
  ...(listing.cost === undefined
    ? {}
    : {
        cost: {
          total: listing.cost.total,
          maximum: listing.cost.maximum,
          aboveMaximum: listing.cost.aboveMaximum,
        },
      }),
});

export const planCounts = (rows: ReadonlyArray<PlanRow>) => {
  const counts: Partial<Record<PlanAction, number>> = {};
  for (const row of rows) counts[row.action] = (counts[row.action] ?? 0) + 1;
  return counts;
};

export const planRoute = (options: ConsoleOptions) =>
  Effect.gen(function* () {
    if (options.inventory === undefined) {
      return refuse(
        409,
        "no stock to plan: start the console with a stock file (adsync console --stock <file>)",
      );
    }
    const request = yield* HttpServerRequest.HttpServerRequest;
    const body = yield* Effect.orElseSucceed(request.json, () => undefined);
    const removeMissing =
      typeof body === "object" && body !== null && Reflect.get(body, "removeMissing") === true;
    const stock = yield* options.inventory;
    // Entries that name their own targets are planned per target set, as `adsync sync`
    // publishes them; their targets outside the configured marketplaces are left out.
    const groups = groupByTargets(stock, { allowed: options.marketplaces });
    if (removeMissing && groups.length > 1) {
      return refuse(
        409,
        "planning removals needs one target set for the whole stock: some entries name their own `to`",
      );
    }
    const publisher = yield* Publisher;
    const planned = yield* Effect.forEach(groups, (group) =>
      publisher.plan(
        group.entries.map((entry) => entry.ad),
        { to: group.to, removeMissing },
      ),
    );
    const rows = planned.flatMap((result) => result.listings.map(planRow));
    const view: PlanView = {
      ok: true,
      ads: planned.reduce((sum, result) => sum + result.ads, 0),
      rows,
      counts: planCounts(rows),
    };
    return HttpServerResponse.unsafeJson(view);
  }).pipe(
    Effect.catchTag("AdsyncError", (error) =>
      refuse(500, `the stock could not be planned: ${error.message}`),
    ),
  );
