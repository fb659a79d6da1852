import { adaptersLayer, createAdsync, memoryStoreLayer } from "@adsync/core";
import { type AllegroFake, startAllegroFake } from "@adsync/sandbox";
import { NodeHttpClient } from "@effect/platform-node";
import { Effect, Layer } from "effect";
import { afterEach, describe, expect, it } from "vitest";
import { makeAllegroAdapter } from "../src/index.ts";
import { car, configFor } from "./support.ts";

/**
 * A settle round through the publisher (`refreshAll`) reads a publication command's tasks once,
 * though the store's paging spreads the command's offers over several `inspect` calls (#9, #11:
 * "Allegro tasks read once per command per round").
 */

const fakes: Array<AllegroFake> = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

/** Allegro's adapter with pages of `pageSize` listings per `inspect` call. */
const layerWithPages = (fake: AllegroFake, pageSize: number) =>
  Layer.mergeAll(
    adaptersLayer(
      Effect.map(makeAllegroAdapter(configFor(fake)), (adapter) => ({
        ...adapter,
        inspectBatchSize: pageSize,
      })),
    ).pipe(Layer.provide(NodeHttpClient.layerUndici)),
    memoryStoreLayer,
  );

const routes = (fake: AllegroFake) =>
  fake.requests
    .filter((request) => request.path !== "/auth/oauth/token")
    .map((request) => `${request.method} ${request.path.replace(/\/[0-9a-f-]{36}\//, "/{id}/")}`);

const count = (list: ReadonlyArray<string>, route: string) =>
  list.filter((entry) => entry === route).length;

describe("a settle round on Allegro", () => {
  it("reads the tasks of a command of 250 offers once over 3 pages of 100", async () => {
    const fake = await startAllegroFake({ clock: "manual" });
    fakes.push(fake);
    const client = createAdsync(layerWithPages(fake, 100));
    try {
      const ads = Array.from({ length: 250 }, (_, index) => car(`round-${index}`));
      const summary = await client.sync(ads, { to: ["allegro"] });
      expect(summary.outcomes).toEqual({ allegro: { accepted: 250 } });
      const commands = new Set(
        fake.requests
          .filter(
            (request) =>
              request.method === "PUT" &&
              request.path.startsWith("/sale/offer-publication-commands/"),
          )
          .map((request) => request.path),
      );
      expect(commands.size).toBe(1);

      // Still running: one tasks read for the 250 pending offers, nothing else.
      fake.clearRequests();
      const waiting = await client.refreshAll({ to: ["allegro"] });
      expect(waiting.marketplaces.allegro).toMatchObject({ read: 250, calls: 3, pending: 250 });
      expect(routes(fake)).toEqual(["GET /sale/offer-publication-commands/{id}/tasks"]);

      // Done: one tasks read, then the offers from the external.id list (100 ids a read).
      fake.processing.flush();
      fake.clearRequests();
      const done = await client.refreshAll({ to: ["allegro"] });
      expect(done.marketplaces.allegro).toMatchObject({ read: 250, calls: 3, pending: 0 });
      const read = routes(fake);
      expect(count(read, "GET /sale/offer-publication-commands/{id}/tasks")).toBe(1);
      expect(count(read, "GET /sale/offers")).toBe(3);
      expect(read).toHaveLength(4);
      const statuses = (await Promise.all(ads.map((ad) => client.status(ad.id)))).flat();
      expect(statuses.map((status) => status.state.presence)).toEqual(Array(250).fill("live"));
    } finally {
      await client.close();
    }
  }, 120_000);
});
