import { type AdsyncError, type ListingRecord, Publisher, Store, uncheckedAd } from "@adsync/core";
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform";
import { type Deferred, Effect, Option } from "effect";
import type { Assets } from "./assets.ts";
import type { ConsoleOptions } from "./console-options.ts";
import { buildGrid, titleOfAd } from "./grid.ts";
import { liveEvents } from "./live.ts";
import { planRoute } from "./plan.ts";
import { buildDetail } from "./timeline.ts";
import type { ActionAnswer, GridFilters } from "./wire.ts";

const answer = (body: ActionAnswer, status = 200) =>
  HttpServerResponse.unsafeJson(body, { status });

const notFound = (message: string) => answer({ ok: false, message }, 404);

/** A store failure: the message says what failed (never a credential: errors carry none). */
const storeFailed = (error: AdsyncError) => answer({ ok: false, message: error.message }, 500);

const filtersOf = (url: URL): GridFilters => {
  const value = (name: string) => {
    const text = url.searchParams.get(name);
    return text === null || text === "" ? undefined : text;
  };
  return {
    marketplace: value("marketplace"),
    state: value("state"),
    hasIssues: url.searchParams.get("issues") === "1",
    text: value("text"),
  };
};

/** The listing a route names (`/api/listings/:adId/:marketplace…`), or None. */
const routeListing = Effect.gen(function* () {
  const params = yield* HttpRouter.params;
  const store = yield* Store;
  const adId = params.adId ?? "";
  const marketplace = params.marketplace ?? "";
  const record = yield* store.get(adId, marketplace);
  return { adId, marketplace, record };
});

/**
 * A route on one listing (`/api/listings/:adId/:marketplace…`): a 404 when the store has no
 * such listing, a store failure as a 500.
 */
const onListing = <R>(
  handle: (listing: {
    readonly adId: string;
    readonly marketplace: string;
    readonly record: ListingRecord;
  }) => Effect.Effect<HttpServerResponse.HttpServerResponse, AdsyncError, R>,
) =>
  Effect.gen(function* () {
    const { adId, marketplace, record } = yield* routeListing;
    if (Option.isNone(record)) return notFound(`no listing of ${adId} on ${marketplace}`);
    return yield* handle({ adId, marketplace, record: record.value });
  }).pipe(Effect.catchTag("AdsyncError", storeFailed));

const outcomeAnswer = (
  result: {
    readonly outcomes: ReadonlyArray<{
      readonly result: string;
      readonly issues: ReadonlyArray<{ readonly message: string }>;
    }>;
  },
  done: string,
): ActionAnswer => {
  const outcome = result.outcomes[0];
  if (outcome === undefined) return { ok: false, message: "nothing was done" };
  const ok = outcome.result === "accepted" || outcome.result === "unchanged";
  return {
    ok,
    message: ok
      ? done
      : `${outcome.result}: ${outcome.issues.map((issue) => issue.message).join("; ")}`,
  };
};

/**
 * The console's routes: the page, the JSON API over the store and the publisher, and the live
 * feed. Every action is a POST (guarded against cross-site requests in security.ts).
 */
export const consoleRouter = (
  assets: Assets,
  options: ConsoleOptions,
  closing: Deferred.Deferred<void>,
) => {
  const adOf = (adId: string) =>
    options.ads === undefined ? Effect.succeed(Option.none<unknown>()) : options.ads(adId);

  return HttpRouter.empty.pipe(
    HttpRouter.get("/", Effect.succeed(HttpServerResponse.html(assets.html))),
    HttpRouter.get(
      "/app.js",
      Effect.succeed(HttpServerResponse.text(assets.script, { contentType: "text/javascript" })),
    ),
    HttpRouter.get(
      "/style.css",
      Effect.succeed(HttpServerResponse.text(assets.css, { contentType: "text/css" })),
    ),
    HttpRouter.get(
      "/api/listings",
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest;
        const store = yield* Store;
        const records = yield* store.list();
        const grid = buildGrid(records, {
          filters: filtersOf(new URL(request.url, "http://console")),
          marketplaces: options.marketplaces,
          urls: options.urls,
        });
        // A payload without a title (some wire formats have none): the dealer's ad names it.
        const rows = yield* Effect.forEach(grid.rows, (row) =>
          row.title !== undefined
            ? Effect.succeed(row)
            : Effect.map(adOf(row.adId), (ad) => ({
                ...row,
                title: Option.getOrUndefined(Option.map(ad, titleOfAd)),
              })),
        );
        return HttpServerResponse.unsafeJson({ ...grid, rows });
      }).pipe(Effect.catchTag("AdsyncError", storeFailed)),
    ),
    HttpRouter.get(
      "/api/listings/:adId/:marketplace",
      onListing(({ adId, record }) =>
        Effect.gen(function* () {
          const store = yield* Store;
          const events = yield* store.events(adId);
          const ad = yield* adOf(adId);
          return HttpServerResponse.unsafeJson(
            buildDetail(record, events, Option.getOrUndefined(ad), options.urls),
          );
        }),
      ),
    ),
    HttpRouter.get("/api/events", liveEvents(closing)),
    HttpRouter.post("/api/plan", planRoute(options)),
    HttpRouter.post(
      "/api/refresh",
      Effect.gen(function* () {
        const store = yield* Store;
        const publisher = yield* Publisher;
        const adIds = [...new Set((yield* store.list()).map((record) => record.adId))];
        yield* Effect.forEach(adIds, (adId) => publisher.refresh(adId, { includeSettled: true }), {
          concurrency: 4,
          discard: true,
        });
        return answer({ ok: true, message: `refreshed ${adIds.length} ads` });
      }).pipe(Effect.catchTag("AdsyncError", storeFailed)),
    ),
    HttpRouter.post(
      "/api/listings/:adId/:marketplace/refresh",
      onListing(({ adId, marketplace }) =>
        Effect.gen(function* () {
          const publisher = yield* Publisher;
          yield* publisher.refresh(adId, { to: [marketplace], includeSettled: true });
          return answer({ ok: true, message: `refreshed ${adId} on ${marketplace}` });
        }),
      ),
    ),
    HttpRouter.post(
      "/api/listings/:adId/:marketplace/retry",
      onListing(({ adId, marketplace, record }) =>
        Effect.gen(function* () {
          const ad = yield* adOf(adId);
          const operation = record.state.operation;
          const publisher = yield* Publisher;
          const to = { to: [marketplace] };
          if (operation?.status !== "failed") {
            return answer({ ok: false, message: "the last operation did not fail" }, 409);
          }
          switch (operation.kind) {
            case "create":
            case "update":
              if (Option.isNone(ad)) {
                return answer(
                  {
                    ok: false,
                    message: "publishing again needs the ad: start the console with a stock file",
                  },
                  409,
                );
              }
              return answer(
                outcomeAnswer(
                  yield* publisher.publish(uncheckedAd(ad.value), to),
                  "published again",
                ),
              );
            case "hide":
            case "show":
            case "renew":
            case "remove":
              return answer(
                outcomeAnswer(
                  yield* publisher[operation.kind](adId, to),
                  `${operation.kind} sent again`,
                ),
              );
            case "promote":
              return answer(
                { ok: false, message: "a failed promote is not run again from the console" },
                409,
              );
          }
        }),
      ),
    ),
    HttpRouter.post(
      "/api/listings/:adId/:marketplace/remove",
      onListing(({ adId, marketplace }) =>
        Effect.gen(function* () {
          // The page asks the operator first and sends the ad id back as the confirmation, so a
          // stray POST without it removes nothing.
          const request = yield* HttpServerRequest.HttpServerRequest;
          const body = yield* Effect.orElseSucceed(request.json, () => undefined);
          const confirmed =
            typeof body === "object" && body !== null && Reflect.get(body, "confirm") === adId;
          if (!confirmed) {
            return answer(
              { ok: false, message: `confirm the removal with {"confirm": "${adId}"}` },
              400,
            );
          }
          const publisher = yield* Publisher;
          return answer(
            outcomeAnswer(yield* publisher.remove(adId, { to: [marketplace] }), "removed"),
          );
        }),
      ),
    ),
  );
};
