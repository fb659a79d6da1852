import { type AdsyncClient, createAdsync, type Listing, VehicleAd } from "@adsync/core";
import type { RecordedRequest } from "@adsync/sandbox";
import { type AllegroFake, startAllegroFake } from "@adsync/sandbox";
import { Effect, Either, Schema } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import {
  type AllegroConfig,
  type AllegroService,
  createAllegroClient,
  type OfferApi,
} from "../src/index.ts";
import { specProblems } from "./openapi.ts";
import { car, configFor, layerFor, testUserAgent, withService } from "./support.ts";

/** Every request any test here sent, checked against the OpenAPI spec at the end. */
const sent: Array<RecordedRequest> = [];
const started: Array<{ fake: AllegroFake; client?: AdsyncClient }> = [];

const start = async (options: Parameters<typeof startAllegroFake>[0] = {}) => {
  const fake = await startAllegroFake({ taskDelayMs: 10, ...options });
  const entry: { fake: AllegroFake; client?: AdsyncClient } = { fake };
  started.push(entry);
  return entry;
};

const apis: ReadonlyArray<OfferApi> = ["product-offers", "sale-offers"];

afterAll(async () => {
  for (const entry of started) {
    sent.push(...entry.fake.requests);
    await entry.client?.close();
    await entry.fake.close();
  }
});

/** The step a request is, on either offer API. */
const step = (request: RecordedRequest): string | undefined => {
  const path = request.path;
  if (request.method === "POST" && path === "/sale/offer-contacts") return "contact";
  if (request.method === "POST" && path === "/sale/images") return "image";
  if (request.method === "POST" && (path === "/sale/offers" || path === "/sale/product-offers"))
    return "draft";
  if (request.method === "PUT" && /^\/sale\/offers\/\d+$/.test(path)) return "complete";
  if (request.method === "PATCH" && /^\/sale\/product-offers\/\d+$/.test(path)) return "edit";
  if (request.method === "PUT" && path.startsWith("/sale/offer-classifieds-packages/"))
    return "package";
  if (request.method === "PUT" && path.startsWith("/sale/offer-publication-commands/"))
    return "command";
  if (request.method === "GET" && path.endsWith("/tasks")) return "tasks";
  return undefined;
};

const steps = (requests: ReadonlyArray<RecordedRequest>) =>
  requests.flatMap((request) => {
    const name = step(request);
    return name === undefined ? [] : [name];
  });

/** `removeMany` of the listings, every one removed; answers the requests it sent. */
const removeAll = (service: AllegroService, fake: AllegroFake, listings: ReadonlyArray<Listing>) =>
  Effect.gen(function* () {
    const removeMany = service.adapter.removeMany;
    if (removeMany === undefined) throw new Error("no removeMany");
    fake.clearRequests();
    const results = yield* removeMany(listings);
    expect(results.every(Either.isRight)).toBe(true);
    return fake.requests.filter((request) => request.path !== "/auth/oauth/token");
  });

const settle = (client: AdsyncClient, adId: string) =>
  client.awaitSettled(adId, { interval: "20 millis", timeout: "10 seconds" });

describe.each(apis)("Allegro adapter against the fake (%s)", (offerApi) => {
  const clientOf = (
    entry: { fake: AllegroFake; client?: AdsyncClient },
    extra: Partial<AllegroConfig> = {},
  ) => {
    entry.client = createAdsync(layerFor(entry.fake, { offerApi, ...extra }));
    return entry.client;
  };
  const draftPath = offerApi === "product-offers" ? "/sale/product-offers" : "/sale/offers";

  it("takes a new ad through contact → images → draft → package → command → tasks to live", async () => {
    const entry = await start();
    const client = clientOf(entry);
    const result = await client.publish(car("flow-1"), { to: ["allegro"] });
    expect(result.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
    const [status] = await settle(client, "flow-1");
    expect(status?.state.presence).toBe("live");
    expect(
      steps(entry.fake.requests).filter((name, index, all) => all.indexOf(name) === index),
    ).toEqual(
      offerApi === "product-offers"
        ? // The product-offer POST carries the whole offer: no GET, no second write.
          ["contact", "image", "draft", "package", "command", "tasks"]
        : ["contact", "image", "draft", "complete", "package", "command", "tasks"],
    );
    // Exactly: one contact, the two images, one draft (+ its completing PUT on sale-offers),
    // one package, one command; the tasks read only after the command, until live.
    const named = steps(entry.fake.requests);
    expect(named.filter((name) => name !== "tasks")).toEqual(
      offerApi === "product-offers"
        ? ["contact", "image", "image", "draft", "package", "command"]
        : ["contact", "image", "image", "draft", "complete", "package", "command"],
    );
    expect(named.indexOf("tasks")).toBeGreaterThan(named.indexOf("command"));
    const command = entry.fake.requests.find((request) => step(request) === "command");
    expect(command?.path).toMatch(/^\/sale\/offer-publication-commands\/[0-9a-f-]{36}$/);
    expect(command?.body).toEqual({
      publication: { action: "ACTIVATE" },
      offerCriteria: [{ type: "CONTAINS_OFFERS", offers: [{ id: status?.ref?.remoteId }] }],
    });
    const packagePut = entry.fake.requests.find((request) => step(request) === "package");
    expect(packagePut?.path).toBe(`/sale/offer-classifieds-packages/${status?.ref?.remoteId}`);
    const draft = entry.fake.requests.find((request) => step(request) === "draft");
    expect(draft?.body).toMatchObject({
      name: "BMW X5 2005",
      category: { id: "57968" },
      external: { id: "flow-1" },
    });
    for (const request of entry.fake.requests.filter(
      (request) => request.path !== "/auth/oauth/token",
    )) {
      expect(request.headers.accept).toBe("application/vnd.allegro.public.v1+json");
      expect(request.headers.authorization).toMatch(/^Bearer /);
      expect(request.headers["user-agent"]).toBe(testUserAgent);
      if (request.body !== undefined)
        expect(request.headers["content-type"]).toContain("application/vnd.allegro.public.v1+json");
    }
    const remoteId = status?.ref?.remoteId ?? "";
    expect(entry.fake.offerStatus(remoteId)).toBe("ACTIVE");
  });

  it("reuses the command's UUID when the command is retried", async () => {
    const entry = await start();
    const client = clientOf(entry);
    entry.fake.injectFault({
      method: "PUT",
      path: /^\/sale\/offer-publication-commands\//,
      fault: { type: "applyThenDrop" },
    });
    await client.publish(car("retry-1"), { to: ["allegro"] });
    const [status] = await settle(client, "retry-1");
    expect(status?.state.presence).toBe("live");
    const commands = entry.fake.requests.filter((request) => step(request) === "command");
    expect(commands).toHaveLength(2);
    expect(commands[1]?.path).toBe(commands[0]?.path);
    expect(entry.fake.commandCount()).toBe(1);
  });

  it("finds the draft of a create whose answer was dropped instead of making a second", async () => {
    const entry = await start();
    const client = clientOf(entry);
    entry.fake.injectFault({
      method: "POST",
      path: draftPath,
      fault: { type: "applyThenDrop" },
    });
    await client.publish(car("dropped-1"), { to: ["allegro"] });
    const [status] = await settle(client, "dropped-1");
    expect(status?.state.presence).toBe("live");
    expect(entry.fake.offerCount()).toBe(1);
    const drafts = entry.fake.requests.filter((request) => step(request) === "draft");
    expect(drafts).toHaveLength(1);
    const afterDraft = entry.fake.requests.slice(
      entry.fake.requests.findIndex((request) => step(request) === "draft"),
    );
    expect(
      afterDraft.some(
        (request) =>
          request.method === "GET" &&
          request.path === "/sale/offers" &&
          request.query["external.id"] === "dropped-1",
      ),
    ).toBe(true);
  });

  it("reuses one of 50 existing contacts, with a warning, instead of creating a 51st", async () => {
    const contacts = Array.from({ length: 50 }, (_, index) => ({
      name: `Kontakt ${index}`,
      emails: [`other${index}@example.pl`],
      phones: [index === 7 ? "555555666" : `60000${String(index).padStart(4, "0")}`],
    }));
    const entry = await start({ contacts });
    const client = clientOf(entry, { contactsFull: "reuseBestMatch" });
    const result = await client.publish(car("contacts-1"), { to: ["allegro"] });
    expect(
      result.outcomes[0]?.warnings.map((warning) => [warning.path, warning.code]),
    ).toContainEqual(["contact", "too_many"]);
    expect(entry.fake.requests.filter((request) => step(request) === "contact")).toEqual([]);
    expect(entry.fake.contacts()).toHaveLength(50);
    const [status] = await settle(client, "contacts-1");
    const offer = entry.fake.offer(status?.ref?.remoteId ?? "");
    // The best match shares the phone number (index 7).
    expect(offer).toMatchObject({ contact: { id: entry.fake.contacts()[7]?.id } });
  });

  it("fails with a clear issue when 50 contacts exist (the default: no reuse unless opted in)", async () => {
    const contacts = Array.from({ length: 50 }, (_, index) => ({
      name: `K${index}`,
      emails: [`k${index}@example.pl`],
    }));
    const entry = await start({ contacts });
    const client = clientOf(entry);
    const result = await client.publish(car("contacts-2"), { to: ["allegro"] });
    expect(result.outcomes[0]?.result).toBe("failed");
    expect(result.outcomes[0]?.issues.map((entry) => [entry.path, entry.code])).toEqual([
      ["contact", "too_many"],
    ]);
    expect(entry.fake.offerCount()).toBe(0);
  });

  it("publishes 20 ads with one publication command", async () => {
    const entry = await start();
    const ads = Array.from({ length: 20 }, (_, index) => car(`batch-${index}`));
    const outcomes = await withService(entry.fake, (service) => service.publishMany(ads), {
      offerApi,
    });
    expect(outcomes.every((outcome) => Either.isRight(outcome.result))).toBe(true);
    const commands = entry.fake.requests.filter((request) => step(request) === "command");
    expect(commands).toHaveLength(1);
    expect(entry.fake.commandCount()).toBe(1);
    const commandIds = new Set(
      outcomes.flatMap((outcome) =>
        Either.isRight(outcome.result) ? [outcome.result.right.requestId] : [],
      ),
    );
    expect(commandIds.size).toBe(1);
    const lookups = entry.fake.requests.filter(
      (request) => request.method === "GET" && request.path === "/sale/offers",
    );
    expect(lookups).toHaveLength(1);
    // The command's tasks run on the fake's timer; run them now instead of waiting for it.
    entry.fake.processing.flush();
    expect(entry.fake.offerIds().map((id) => entry.fake.offerStatus(id))).toEqual(
      Array(20).fill("ACTIVE"),
    );
  });

  it("a sync of 20 new ads through the publisher sends one publication command, and all go live", async () => {
    const entry = await start();
    const client = clientOf(entry);
    const ads = Array.from({ length: 20 }, (_, index) => car(`sync-${index}`));
    const summary = await client.sync(ads, { to: ["allegro"] });
    expect(summary.outcomes).toEqual({ allegro: { accepted: 20 } });
    expect(entry.fake.requests.filter((request) => step(request) === "command")).toHaveLength(1);
    expect(entry.fake.commandCount()).toBe(1);
    const statuses = await Promise.all(
      ads.map((ad) => client.awaitSettled(ad.id, { interval: "25 millis", timeout: "20 seconds" })),
    );
    expect(statuses.flat().map((status) => status.state.presence)).toEqual(Array(20).fill("live"));
    expect(new Set(statuses.flat().map((status) => status.state.operation?.requestId)).size).toBe(
      1,
    );

    // The same stock again costs nothing.
    const before = entry.fake.requests.length;
    const again = await client.sync(ads, { to: ["allegro"] });
    expect(again.outcomes).toEqual({ allegro: { unchanged: 20 } });
    expect(entry.fake.requests.length).toBe(before);
  });

  it("an offer Allegro ended is not relisted (and charged) by an edit, only when the dealer asks", async () => {
    const entry = await start();
    const client = clientOf(entry);
    const id = "ended-1";
    await client.publish(car(id), { to: ["allegro"] });
    const [live] = await client.awaitSettled(id, { interval: "25 millis", timeout: "10 seconds" });
    expect(live?.state.presence).toBe("live");
    const offerId = live?.ref?.remoteId ?? "";
    entry.fake.endOffer(offerId, "EXPIRATION");
    entry.fake.clearRequests();

    const edited = await client.publish(car(id, 1), { to: ["allegro"] });
    expect(edited.outcomes[0]).toMatchObject({ result: "failed", reason: "Conflict" });
    expect(edited.outcomes[0]?.issues.map((entry) => entry.path)).toEqual([
      "marketplaces.allegro.relistEnded",
    ]);
    const charged = entry.fake.requests.filter((request) =>
      ["package", "command"].includes(step(request) ?? ""),
    );
    expect(charged).toEqual([]);
    expect(entry.fake.offerStatus(offerId)).toBe("ENDED");

    const relisted = await client.publish(
      { ...car(id, 1), marketplaces: { allegro: { relistEnded: true } } },
      { to: ["allegro"] },
    );
    expect(relisted.outcomes[0]?.result).toBe("accepted");
    await client.awaitSettled(id, { interval: "25 millis", timeout: "10 seconds" });
    expect(entry.fake.offerStatus(offerId)).toBe("ACTIVE");
    expect(entry.fake.requests.filter((request) => step(request) === "package")).toHaveLength(1);
    expect(entry.fake.requests.filter((request) => step(request) === "command")).toHaveLength(1);
  });

  it("stops at a draft with issues on canonical paths when Allegro's validation refuses it", async () => {
    const entry = await start();
    const client = clientOf(entry);
    // A category that is not a leaf: the draft is saved but cannot be completed.
    const ad = { ...car("invalid-1"), marketplaces: { allegro: { categoryId: "4029" } } };
    const result = await client.publish(ad, { to: ["allegro"] });
    const [outcome] = result.outcomes;
    expect(outcome?.state.presence).toBe("draft");
    expect(outcome?.state.operation?.status).toBe("failed");
    const paths = outcome?.issues.map((entry) => entry.path) ?? [];
    // The category error points at the dealer's override, not at the vehicle.
    expect(paths).toContain("marketplaces.allegro.categoryId");
    expect(paths).not.toContain("vehicle.model");
    expect(paths).toContain("vehicle.modelYear");
    expect(paths).toContain("vehicle.condition");
    expect(entry.fake.requests.filter((request) => step(request) === "command")).toEqual([]);
  });

  it("quotes the fee before publishing", async () => {
    const entry = await start();
    const ad = Schema.decodeUnknownSync(VehicleAd)({
      ...car("fee-1"),
      marketplaces: { allegro: { extraPackageIds: ["74bb1eef-28d3-443a-91ed-d39b0646f2c3"] } },
    });
    const quote = await withService(entry.fake, (service) => service.previewFee(ad), { offerApi });
    expect(quote.total).toEqual({ amount: "68.00", currency: "PLN" });
    expect(entry.fake.requests.filter((request) => step(request) === "command")).toEqual([]);
  });

  it("quotes the fee through the Promise client, before anything is published", async () => {
    const entry = await start();
    const client = createAllegroClient(configFor(entry.fake, { offerApi }));
    const ad = Schema.decodeUnknownSync(VehicleAd)(car("fee-promise-1"));
    try {
      const quote = await client.previewFee(ad);
      expect(quote.total.currency).toBe("PLN");
      expect(Number(quote.total.amount)).toBeGreaterThanOrEqual(0);
      expect(entry.fake.requests.filter((request) => step(request) === "command")).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("refreshes an expired token once, and keeps the rotated refresh token", async () => {
    const entry = await start();
    const outcome = await withService(entry.fake, (service) =>
      Effect.gen(function* () {
        yield* service.client.contacts;
        entry.fake.expireAccessTokens();
        yield* service.client.contacts;
        return yield* service.tokenStore.load;
      }),
    );
    const refreshes = entry.fake.requests.filter((request) => request.path === "/auth/oauth/token");
    expect(refreshes).toHaveLength(2);
    expect(outcome._tag).toBe("Some");
    expect(entry.fake.validRefreshTokens()).toHaveLength(1);
  });

  it("a price change on a live offer is one edit: on product-offers a PATCH with only the price", async () => {
    const entry = await start();
    const client = clientOf(entry);
    await client.publish(car("price-1"), { to: ["allegro"] });
    const [live] = await settle(client, "price-1");
    const offerId = live?.ref?.remoteId ?? "";
    entry.fake.clearRequests();
    const result = await client.publish(car("price-1", 3), { to: ["allegro"] });
    expect(result.outcomes[0]?.result).toBe("accepted");
    const requests = entry.fake.requests.filter((request) => request.path !== "/auth/oauth/token");
    if (offerApi === "product-offers") {
      expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        `PATCH /sale/product-offers/${offerId}`,
      ]);
      expect(requests[0]?.body).toEqual({
        sellingMode: { format: "ADVERTISEMENT", price: { amount: "32700", currency: "PLN" } },
      });
    } else {
      // The guide's API: read the whole structure, send it back whole.
      expect(requests.map((request) => `${request.method} ${request.path}`)).toContain(
        `PUT /sale/offers/${offerId}`,
      );
    }
    expect(entry.fake.offer(offerId)).toMatchObject({
      sellingMode: { price: { amount: "32700" } },
    });
    expect((await client.status("price-1"))[0]?.state.presence).toBe("live");
  });

  it("updates the offer's contact in place when the ad's contact changes, never a second one", async () => {
    const entry = await start();
    const client = clientOf(entry);
    await client.publish(car("contact-edit"), { to: ["allegro"] });
    const [live] = await settle(client, "contact-edit");
    expect(entry.fake.contacts()).toHaveLength(1);
    entry.fake.clearRequests();
    const changed = {
      ...car("contact-edit"),
      contact: { name: "Auta terenowe", email: "new@test.pl", phone: "555-555-666" },
    };
    const result = await client.publish(changed, { to: ["allegro"] });
    expect(result.outcomes[0]?.result).toBe("accepted");
    expect(entry.fake.contacts()).toHaveLength(1);
    expect(entry.fake.contacts()[0]?.emails).toEqual([{ address: "new@test.pl" }]);
    expect(
      entry.fake.requests.filter(
        (request) => request.method === "PUT" && request.path.startsWith("/sale/offer-contacts/"),
      ),
    ).toHaveLength(1);
    expect(entry.fake.offer(live?.ref?.remoteId ?? "")).toMatchObject({
      contact: { id: entry.fake.contacts()[0]?.id },
    });
  });

  it("polls a 202's Location through …/operations/{operationId} before going on", async () => {
    const entry = await start({ asyncProductOffers: true });
    const client = clientOf(entry);
    await client.publish(car("async-1"), { to: ["allegro"] });
    const [live] = await settle(client, "async-1");
    expect(live?.state.presence).toBe("live");
    const operations = entry.fake.requests.filter((request) =>
      /^\/sale\/product-offers\/\d+\/operations\//.test(request.path),
    );
    if (offerApi === "product-offers") {
      expect(operations.length).toBeGreaterThan(0);
      // The offer was complete (the operation applied) before the package and the command.
      const offer = entry.fake.offer(live?.ref?.remoteId ?? "");
      expect(offer).toMatchObject({ sellingMode: { price: { amount: "33000" } } });
      const order = steps(entry.fake.requests);
      expect(order.indexOf("package")).toBeGreaterThan(order.indexOf("draft"));
    } else expect(operations).toEqual([]);
  });

  it("removes 25 live offers with ONE END command, reading their states from one list request", async () => {
    const entry = await start({ clock: "manual" });
    const ads = Array.from({ length: 25 }, (_, index) =>
      Schema.decodeUnknownSync(VehicleAd)(car(`end-many-${index}`)),
    );
    await withService(
      entry.fake,
      (service) =>
        Effect.gen(function* () {
          const outcomes = yield* service.publishMany(ads);
          entry.fake.processing.flush();
          const listings = outcomes.flatMap((outcome) => {
            const ad = ads.find((candidate) => candidate.id === outcome.adId);
            const prepared = ad === undefined ? undefined : service.adapter.prepare(ad);
            return Either.isRight(outcome.result) &&
              prepared !== undefined &&
              Either.isRight(prepared)
              ? [{ ref: outcome.result.right.ref, payload: prepared.right.payload }]
              : [];
          });
          expect(listings).toHaveLength(25);
          const sentNow = yield* removeAll(service, entry.fake, listings);
          expect(
            sentNow.map(
              (request) => `${request.method} ${request.path.split("/").slice(0, 3).join("/")}`,
            ),
          ).toEqual(["GET /sale/offers", "PUT /sale/offer-publication-commands"]);
          // The one END names all 25 offers.
          expect(sentNow[1]?.body).toEqual({
            publication: { action: "END" },
            offerCriteria: [
              {
                type: "CONTAINS_OFFERS",
                offers: listings.map((listing) => ({ id: listing.ref.remoteId })),
              },
            ],
          });
          entry.fake.processing.flush();
          expect(listings.map((listing) => entry.fake.offerStatus(listing.ref.remoteId))).toEqual(
            Array(25).fill("ENDED"),
          );
        }),
      { offerApi },
    );
  });

  it("ends 1,001 live offers with one END per 1,000 (allegro-api #1732), states read 100 per list request", async () => {
    const entry = await start({ clock: "manual" });
    await withService(
      entry.fake,
      (service) =>
        Effect.gen(function* () {
          const listings = Array.from({ length: 1001 }, (_, index) => {
            const ad = Schema.decodeUnknownSync(VehicleAd)(car(`end-1001-${index}`));
            const prepared = service.adapter.prepare(ad);
            if (Either.isLeft(prepared)) throw new Error("the car does not prepare");
            // Live offers the account has, as a GET shows them.
            const remoteId = entry.fake.seedOffer({ name: "BMW X5 2005", external: { id: ad.id } });
            return { ref: { remoteId, ids: {}, meta: {} }, payload: prepared.right.payload };
          });
          const sentNow = yield* removeAll(service, entry.fake, listings);
          expect(sentNow.filter((request) => request.path === "/sale/offers")).toHaveLength(11);
          const ends = sentNow.filter((request) => step(request) === "command");
          expect(sentNow).toHaveLength(11 + ends.length);
          expect(
            ends.map((request) => JSON.stringify(request.body).match(/"id"/g)?.length ?? 0),
          ).toEqual([1000, 1]);
          expect(ends.map((request) => request.body)).toMatchObject([
            { publication: { action: "END" } },
            { publication: { action: "END" } },
          ]);
          entry.fake.processing.flush();
          expect(
            listings.filter((listing) => entry.fake.offerStatus(listing.ref.remoteId) === "ENDED"),
          ).toHaveLength(1001);
        }),
      { offerApi },
    );
  });

  it("sends only bodies that the official OpenAPI request schemas accept", async () => {
    for (const entry of started) sent.push(...entry.fake.requests);
    const bodies = sent.filter((request) => request.body !== undefined);
    expect(bodies.length).toBeGreaterThan(50);
    expect(bodies.flatMap(specProblems)).toEqual([]);
  });
});

describe("User-Agent", () => {
  it("refuses to send anything with a User-Agent that is not App/version (+url)", async () => {
    const entry = await start();
    const client = createAdsync(layerFor(entry.fake, { userAgent: "node" }));
    entry.client = client;
    const result = await client.publish(car("ua-1"), { to: ["allegro"] });
    expect(result.outcomes[0]).toMatchObject({ result: "failed", reason: "Configuration" });
    expect(entry.fake.requests).toEqual([]);
  });
});

describe("promote", () => {
  it("adds an extra package to a live offer through the adapter's promote", async () => {
    const entry = await start({ clock: "manual" });
    const extra = "74bb1eef-28d3-443a-91ed-d39b0646f2c3";
    await withService(entry.fake, (service) =>
      Effect.gen(function* () {
        const [outcome] = yield* service.publishMany([
          Schema.decodeUnknownSync(VehicleAd)(car("promote-1")),
        ]);
        entry.fake.processing.flush();
        if (outcome === undefined || Either.isLeft(outcome.result))
          throw new Error("not published");
        const promote = service.adapter.promote;
        if (promote === undefined) throw new Error("no promote");
        expect(service.adapter.promotions).toEqual(["extraPackages"]);
        const listing = { ref: outcome.result.right.ref, payload: {} };
        const bought = yield* promote(listing, {
          product: "extraPackages",
          options: { packageIds: [extra] },
        });
        expect(bought.progress.status).toBe("succeeded");
        const assigned = yield* service.client.assignedPackages(listing.ref.remoteId);
        expect(assigned.extraPackages.map((entry) => entry.id)).toEqual([extra]);
        const refused = yield* Effect.either(promote(listing, { product: "bump" }));
        expect(Either.isLeft(refused) && refused.left.reason).toBe("Invalid");
      }),
    );
  });
});
