/**
 * Benchmark (not a test): requests and parsed task rows to create and settle N Allegro ads
 * (default 1,000) against the sandbox's fake Allegro on 127.0.0.1, beside the per-offer
 * polling of `observe` (what the publisher did before `inspect`) in the same run.
 *
 *   node --import tsx bench/allegro-settle.ts
 *   BENCH_ADS=300 node --import tsx bench/allegro-settle.ts
 *
 * - create: `publishMany` (one ACTIVATE command per 1,000 offers).
 * - settle, per offer (`observe` for each listing, a one-listing `inspect`): every call reads
 *   its command's whole task list and the offer: requests grow with N, task rows with N².
 * - settle, bulk (`inspect`): tasks read once per command per round, offers from the
 *   external.id list (100 per request).
 */

import { type InspectedListing, type Listing, VehicleAd } from "@adsync/core";
import {
  ALLEGRO_SANDBOX_CLIENT_ID,
  ALLEGRO_SANDBOX_CLIENT_SECRET,
  ALLEGRO_SANDBOX_REFRESH_TOKEN,
  type AllegroFake,
  startAllegroFake,
} from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Either, Redacted, Schema } from "effect";
// Imported by path: the root package lists only the adapters run.ts measures.
import { makeAllegro, memoryTokenStore } from "../packages/allegro/src/index.ts";
import { car } from "../packages/allegro/test/support.ts";

const adCount = Number(process.env.BENCH_ADS ?? 1000);

/** The contract tests' car, one image each, a price per ad. */
const ad = (index: number) => {
  const input = car(`allegro-bench-${index}`);
  return Schema.decodeUnknownSync(VehicleAd)({
    ...input,
    price: { list: { amount: 3_000_000 + index * 100, currency: "PLN" } },
    images: [`https://images.example.com/bench/${index}.jpg`],
  });
};

/** Task rows the fake answered: each tasks read returns the whole command's list. */
const taskRows = (fake: AllegroFake) =>
  fake.requests
    .filter((request) => request.method === "GET" && request.path.endsWith("/tasks"))
    .reduce((rows, request) => {
      const commandId = request.path.split("/")[3] ?? "";
      return rows + (fake.command(commandId)?.tasks.length ?? 0);
    }, 0);

const apiRequests = (fake: AllegroFake) =>
  fake.requests.filter((request) => request.path !== "/auth/oauth/token").length;

const run = Effect.gen(function* () {
  const fake = yield* Effect.promise(() => startAllegroFake({ clock: "manual" }));
  const tokenStore = memoryTokenStore();
  const config = {
    baseUrls: { api: fake.url, upload: fake.url, auth: fake.url },
    clientId: ALLEGRO_SANDBOX_CLIENT_ID,
    clientSecret: Redacted.make(ALLEGRO_SANDBOX_CLIENT_SECRET),
    refreshToken: Redacted.make(ALLEGRO_SANDBOX_REFRESH_TOKEN),
    userAgent: "adsync-bench/0.1 (+https://github.com/adsync/adsync)",
    tokenStore,
  };
  const service = yield* makeAllegro(config);
  const ads = Array.from({ length: adCount }, (_, index) => ad(index));
  const started = performance.now();
  const outcomes = yield* service.publishMany(ads);
  const createRequests = apiRequests(fake);
  const listings = outcomes.flatMap((outcome): ReadonlyArray<InspectedListing> => {
    if (Either.isLeft(outcome.result)) return [];
    const source = ads.find((entry) => entry.id === outcome.adId);
    const prepared = source === undefined ? undefined : service.adapter.prepare(source);
    return [
      {
        adId: outcome.adId,
        ref: outcome.result.right.ref,
        requestId: outcome.result.right.requestId,
        payload: prepared !== undefined && Either.isRight(prepared) ? prepared.right.payload : {},
        pending: "create",
      },
    ];
  });
  const createSeconds = (performance.now() - started) / 1000;
  // The command's tasks run now: one settle round finds everything done.
  fake.processing.flush();

  // The per-offer baseline: every observe reads its command's whole task list and its offer.
  fake.clearRequests();
  for (const listing of listings) yield* service.adapter.observe(listing satisfies Listing);
  const perOffer = { requests: apiRequests(fake), rows: taskRows(fake) };

  const inspect = service.adapter.inspect;
  if (inspect === undefined) return yield* Effect.dieMessage("no inspect");
  fake.clearRequests();
  const inspection = yield* inspect({ listings, mode: "full" });
  const bulk = { requests: apiRequests(fake), rows: taskRows(fake) };
  const live = [...inspection.sightings.values()].filter((s) => s.presence === "live").length;

  console.log(`Allegro: create and settle ${adCount} ads (fake on 127.0.0.1)`);
  console.log(
    `  create (publishMany): ${createRequests} requests, ${fake.commandCount()} command(s), ${createSeconds.toFixed(1)} s`,
  );
  console.log(
    `  settle, per-offer observe (baseline): ${perOffer.requests} requests, ${perOffer.rows} task rows parsed`,
  );
  console.log(
    `  settle, bulk inspect:                 ${bulk.requests} requests, ${bulk.rows} task rows parsed (${live}/${listings.length} live)`,
  );
  yield* Effect.promise(() => fake.close());
});

Effect.runPromise(Effect.scoped(run).pipe(Effect.provide(NodeHttpClient.layerUndici))).catch(
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
