import type {
  Adapters,
  AdsyncClient,
  AdsyncError,
  Capabilities,
  ListingStatus,
  Store,
  VehicleAdInput,
} from "@adsync/core";
import { createAdsync } from "@adsync/core";
import type { FakeMarketplace, RecordedRequest } from "@adsync/sandbox";
import type { Layer } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

/**
 * What the conformance suite needs from one adapter and its fake marketplace.
 */
export interface ConformanceContext {
  readonly fake: FakeMarketplace;
  /** The adapter configured against the fake, plus a store (a fresh memory store is fine). */
  readonly layer: Layer.Layer<Adapters | Store, AdsyncError>;
  readonly capabilities: Capabilities;
  /** A valid ad this marketplace accepts; `variant` changes its content (e.g. the price). */
  readonly sampleAd: (id: string, variant?: number) => VehicleAdInput;
  /** A valid canonical ad this marketplace cannot take (its local validation refuses it). */
  readonly invalidAd: (id: string) => VehicleAdInput;
  /** Listings on the fake, deleted ones included: never two for one ad. */
  readonly listingCount: () => number;
  /** The request that creates a listing, to inject faults into it. */
  readonly createRequest: { readonly method: string; readonly path: RegExp };
  readonly close: () => Promise<void>;
}

export interface ConformanceTarget {
  readonly marketplace: string;
  /** Starts the fake and builds the context; called once per suite. */
  readonly setup: () => Promise<ConformanceContext>;
  /** How long to wait for asynchronous processing to settle (default 20 s). */
  readonly settleTimeoutMs?: number;
}

const writes = (requests: ReadonlyArray<RecordedRequest>) =>
  requests.filter((request) => request.method !== "GET");

/**
 * The behaviour every adapter must show against its fake marketplace, whatever the
 * marketplace: one shared suite, with capability flags gating what an adapter cannot do
 * (the idea of unstorage's driver test suite). Run it from an adapter's tests:
 *
 *     adapterConformance({ marketplace: "blocket", setup: async () => ({ … }) });
 */
export const adapterConformance = (target: ConformanceTarget): void => {
  describe(`${target.marketplace} adapter conformance`, () => {
    let context: ConformanceContext;
    let client: AdsyncClient;
    let sequence = 0;
    const timeout = target.settleTimeoutMs ?? 20_000;
    const nextId = () => `conformance-${target.marketplace}-${++sequence}`;
    const settle = (adId: string) =>
      client.awaitSettled(adId, { interval: "25 millis", timeout: `${timeout} millis` });
    const only = (statuses: ReadonlyArray<ListingStatus>): ListingStatus => {
      expect(statuses).toHaveLength(1);
      const [status] = statuses;
      if (status === undefined) throw new Error("no status");
      return status;
    };
    const publishLive = async (adId: string) => {
      const result = await client.publish(context.sampleAd(adId), { to: [target.marketplace] });
      expect(result.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
      const status = only(await settle(adId));
      expect(status.state.presence).toBe("live");
      return status;
    };

    beforeAll(async () => {
      context = await target.setup();
      client = createAdsync(context.layer);
    });
    afterAll(async () => {
      await client?.close();
      await context?.close();
    });
    beforeEach(() => {
      context.fake.clearFaults();
      context.fake.clearRequests();
    });

    it("creates a listing that settles live and records the marketplace's id", async () => {
      const adId = nextId();
      const before = context.listingCount();
      const status = await publishLive(adId);
      expect(status.state.operation?.status).toMatch(/^succeeded/);
      expect(status.ref?.remoteId).toBeTruthy();
      expect(context.listingCount()).toBe(before + 1);
    });

    it("costs zero requests to publish an unchanged ad again", async () => {
      const adId = nextId();
      await publishLive(adId);
      context.fake.clearRequests();
      const result = await client.publish(context.sampleAd(adId), { to: [target.marketplace] });
      expect(result.outcomes.map((outcome) => outcome.result)).toEqual(["unchanged"]);
      expect(context.fake.requests).toEqual([]);
    });

    it("updates a changed ad in place, leaving it live", async () => {
      const adId = nextId();
      await publishLive(adId);
      const count = context.listingCount();
      context.fake.clearRequests();
      const result = await client.publish(context.sampleAd(adId, 1), { to: [target.marketplace] });
      expect(result.outcomes.map((outcome) => [outcome.result, outcome.operation])).toEqual([
        ["accepted", "update"],
      ]);
      expect(writes(context.fake.requests).length).toBeGreaterThanOrEqual(1);
      const status = only(await settle(adId));
      expect(status.state.presence).toBe("live");
      expect(status.state.operation?.kind).toBe("update");
      expect(status.state.operation?.status).toMatch(/^succeeded/);
      expect(context.listingCount()).toBe(count);
    });

    it("sends nothing for an ad its local validation refuses", async () => {
      const result = await client.publish(context.invalidAd(nextId()), {
        to: [target.marketplace],
      });
      const [outcome] = result.outcomes;
      expect(outcome?.result).toBe("invalid");
      expect(outcome?.issues.length).toBeGreaterThan(0);
      expect(outcome?.issues.every((entry) => entry.marketplace === target.marketplace)).toBe(true);
      expect(context.fake.requests).toEqual([]);
    });

    it("retries a create answered 503 and makes one listing", async () => {
      const adId = nextId();
      const before = context.listingCount();
      context.fake.injectFault({
        ...context.createRequest,
        fault: { type: "status", status: 503 },
      });
      await publishLive(adId);
      expect(context.listingCount()).toBe(before + 1);
    });

    it("never creates twice when a create was applied but its answer lost", async () => {
      const adId = nextId();
      const before = context.listingCount();
      context.fake.injectFault({ ...context.createRequest, fault: { type: "applyThenDrop" } });
      await publishLive(adId);
      expect(context.listingCount()).toBe(before + 1);
    });

    it("removes a listing", async () => {
      const adId = nextId();
      await publishLive(adId);
      const result = await client.remove(adId, { to: [target.marketplace] });
      expect(result.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
      const status = only(await settle(adId));
      expect(status.state.presence).toBe("removed");
      expect(status.state.operation?.kind).toBe("remove");
    });

    it("hides and shows a listing where the marketplace can", async () => {
      const adId = nextId();
      await publishLive(adId);
      const hidden = await client.hide(adId, { to: [target.marketplace] });
      if (!context.capabilities.hide) {
        expect(hidden.outcomes.map((outcome) => outcome.reason)).toEqual(["Unsupported"]);
        return;
      }
      expect(only(await settle(adId)).state.presence).toBe("hidden");
      await client.show(adId, { to: [target.marketplace] });
      expect(only(await settle(adId)).state.presence).toBe("live");
    });

    it("renews a listing where the marketplace can", async () => {
      const adId = nextId();
      await publishLive(adId);
      context.fake.clearRequests();
      const renewed = await client.renew(adId, { to: [target.marketplace] });
      if (!context.capabilities.renew) {
        expect(renewed.outcomes.map((outcome) => outcome.reason)).toEqual(["Unsupported"]);
        expect(context.fake.requests).toEqual([]);
        return;
      }
      expect(renewed.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
      const status = only(await settle(adId));
      expect(status.state.operation?.kind).toBe("renew");
      expect(status.state.operation?.status).toMatch(/^succeeded/);
      expect(status.state.presence).toBe("live");
    });
  });
};
