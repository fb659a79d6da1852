import {
  Adapters,
  type AdsyncClient,
  type AdsyncError,
  type Capabilities,
  createAdsync,
  type ListingRef,
  type MarketplaceAdapter,
  type Prepared,
  Store,
  VehicleAd,
  type VehicleAdInput,
} from "@adsync/core";
import type { FakeMarketplace } from "@adsync/sandbox";
import { Context, Effect, Either, Exit, Layer, Option, Schema, Scope } from "effect";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RequestMatcher, requestsMatching, writesOn } from "./contract-harness.ts";
import { awaitSettled, onlyOutcome, onlyStatus } from "./expectations.ts";
import { SleepRecordingClock } from "./virtual-clock.ts";

/**
 * What the conformance suite needs from one adapter and its fake marketplace.
 */
export interface ConformanceContext {
  readonly fake: FakeMarketplace;
  /** The adapter configured against the fake, plus a store (a fresh memory store is fine). */
  readonly layer: Layer.Layer<Adapters | Store, AdsyncError>;
  /** A valid ad this marketplace accepts; `variant` changes its price and nothing else. */
  readonly sampleAd: (id: string, variant?: number) => VehicleAdInput;
  /** A valid canonical ad this marketplace cannot take (its local validation refuses it). */
  readonly invalidAd: (id: string) => VehicleAdInput;
  /** Listings on the fake, deleted ones included: never two for one ad. */
  readonly listingCount: () => number;
  /** The request that creates a listing, to inject faults into it. */
  readonly createRequest: RequestMatcher;
  /**
   * With the `patchUpdates` capability: the one write an update from `sampleAd(id)` to
   * `sampleAd(id, 1)` sends, and its exact body for the ad (only the changed keys, and what
   * the marketplace needs to name the listing).
   */
  readonly patchUpdate?:
    | { readonly request: RequestMatcher; readonly body: (adId: string) => unknown }
    | undefined;
  /** For OAuth marketplaces (the `oauth` case): how the fake's access tokens are invalidated. */
  readonly oauth?:
    | {
        /** Makes every access token the fake issued invalid: the next call answers 401. */
        readonly expireAccessTokens: () => void;
        /** The token endpoint's request (a refresh). */
        readonly tokenRequest: RequestMatcher;
      }
    | undefined;
  readonly close: () => Promise<void>;
}

/**
 * The cases of the suite. Each applies to an adapter by what it declares (its capabilities,
 * OAuth); a case that does not apply is not registered at all.
 */
export const conformanceCases = [
  "create",
  "unchanged",
  "update",
  "invalid",
  "retry-503",
  "lost-answer",
  "remove",
  "hide-show",
  "renew",
  "find",
  "create-many",
  "patch-update",
  "retry-after",
  "oauth-refresh",
] as const;

export type ConformanceCase = (typeof conformanceCases)[number];

/** What decides whether a case applies: the declared capabilities and whether it uses OAuth. */
export interface ConformanceDeclaration {
  readonly capabilities: Capabilities;
  /** The marketplace authorizes with OAuth access tokens it refreshes (Marktplaats, Allegro). */
  readonly oauth?: boolean | undefined;
}

const applies: Record<ConformanceCase, (declared: ConformanceDeclaration) => boolean> = {
  create: () => true,
  unchanged: () => true,
  update: () => true,
  invalid: () => true,
  "retry-503": () => true,
  "lost-answer": () => true,
  remove: () => true,
  // Without the capability, the case checks that the publisher answers Unsupported, sending
  // nothing: it applies to every adapter.
  "hide-show": () => true,
  renew: () => true,
  find: () => true,
  "create-many": (declared) => declared.capabilities.batchPublication,
  "patch-update": (declared) => declared.capabilities.patchUpdates,
  "retry-after": () => true,
  "oauth-refresh": (declared) => declared.oauth === true,
};

/** The cases that apply to an adapter, in the suite's order. */
export const applicableCases = (declared: ConformanceDeclaration): ReadonlyArray<ConformanceCase> =>
  conformanceCases.filter((name) => applies[name](declared));

export interface ConformanceTarget extends ConformanceDeclaration {
  readonly marketplace: string;
  /** Starts the fake and builds the context; called once per suite. */
  readonly setup: () => Promise<ConformanceContext>;
  /** How long to wait for asynchronous processing to settle (default 20 s). */
  readonly settleTimeoutMs?: number;
}

/** What a case needs from its target, or a failure naming it. */
const declared = <A>(value: A | undefined, what: string): A => {
  if (value === undefined) throw new Error(`The case needs ${what}.`);
  return value;
};

/**
 * The conformance layer built once in a scope of its own: the publisher and the cases below it
 * share one adapter (an OAuth adapter's rotated refresh token lives in that one instance).
 */
const buildOnce = (
  layer: Layer.Layer<Adapters | Store, AdsyncError>,
  marketplace: string,
): Promise<Built> =>
  Effect.runPromise(
    Effect.gen(function* () {
      const scope = yield* Scope.make();
      const services = yield* Layer.buildWithScope(layer, scope);
      const adapter = Context.get(services, Adapters).get(marketplace);
      if (adapter === undefined) return yield* Effect.die(`no ${marketplace} adapter in the layer`);
      if (adapter.warmUp !== undefined) yield* adapter.warmUp;
      return { adapter, scope, layer: Layer.succeedContext(services) };
    }),
  );

interface Built {
  readonly adapter: MarketplaceAdapter;
  readonly scope: Scope.CloseableScope;
  readonly layer: Layer.Layer<Adapters | Store>;
}

/**
 * The behaviour every adapter must show against its fake marketplace, whatever the
 * marketplace: one shared suite, with the adapter's declared capabilities deciding which cases
 * apply (the idea of unstorage's driver test suite). Run it from an adapter's tests:
 *
 *     adapterConformance({ marketplace: "blocket", capabilities, setup: async () => ({ … }) });
 */
export const adapterConformance = (target: ConformanceTarget): void => {
  const cases = applicableCases(target);
  const when = (name: ConformanceCase, title: string, body: () => Promise<void>) => {
    if (cases.includes(name)) it(`${name}: ${title}`, body);
  };

  describe(`${target.marketplace} adapter conformance`, () => {
    let context: ConformanceContext;
    let client: AdsyncClient;
    let built: Built | undefined;
    let sequence = 0;
    const timeout = target.settleTimeoutMs ?? 20_000;
    const nextId = () => `conformance-${target.marketplace}-${++sequence}`;
    const settle = (adId: string) => awaitSettled(client, adId, `${timeout} millis`);
    const to = { to: [target.marketplace] };
    const publishLive = async (adId: string) => {
      const result = await client.publish(context.sampleAd(adId), to);
      expect(result.outcomes.map((outcome) => [outcome.result, outcome.issues])).toEqual([
        ["accepted", []],
      ]);
      const status = onlyStatus(await settle(adId));
      expect(status.state.presence).toBe("live");
      return status;
    };
    /** The publisher's own adapter, for the cases below the publisher. */
    const adapterOf = async () => {
      if (built === undefined) throw new Error("the suite builds its adapter in beforeAll");
      return built.adapter;
    };
    const prepared = (adapter: MarketplaceAdapter, ad: VehicleAd): Prepared => {
      const result = adapter.prepare(ad);
      if (Either.isLeft(result)) throw new Error(`the sample ad has issues: ${result.left}`);
      return result.right;
    };
    /**
     * Publishes an ad live, runs `between` (e.g. invalidating the fake's tokens), clears the
     * fake's requests and publishes the ad's variant 1 (its price changed): an update.
     */
    const liveThenChanged = async (between: () => void = () => undefined) => {
      const adId = nextId();
      await publishLive(adId);
      between();
      context.fake.clearRequests();
      return { adId, result: await client.publish(context.sampleAd(adId, 1), to) };
    };
    const decoded = (input: VehicleAdInput) => Schema.decodeUnknownSync(VehicleAd)(input);

    beforeAll(async () => {
      context = await target.setup();
      built = await buildOnce(context.layer, target.marketplace);
      client = createAdsync(built.layer);
    });
    afterAll(async () => {
      await client?.close();
      if (built !== undefined) await Effect.runPromise(Scope.close(built.scope, Exit.void));
      await context?.close();
    });
    beforeEach(() => {
      context.fake.clearFaults();
      context.fake.clearRequests();
    });

    it(`runs the cases that apply: ${cases.join(", ")}`, () => {
      // Printed so that a run's log says what was held to the contract.
      console.info(`${target.marketplace} conformance: ${cases.join(", ")}`);
      expect(cases.includes("patch-update")).toBe(target.capabilities.patchUpdates);
      expect(cases.includes("create-many")).toBe(target.capabilities.batchPublication);
      expect(cases.includes("oauth-refresh")).toBe(target.oauth === true);
    });

    when("create", "creates a listing that settles live and records its id", async () => {
      const adId = nextId();
      const before = context.listingCount();
      const status = await publishLive(adId);
      expect(status.state.operation?.status).toMatch(/^succeeded/);
      expect(status.ref?.remoteId).toBeTruthy();
      expect(context.listingCount()).toBe(before + 1);
    });

    when("unchanged", "costs zero requests to publish an unchanged ad again", async () => {
      const adId = nextId();
      await publishLive(adId);
      context.fake.clearRequests();
      const result = await client.publish(context.sampleAd(adId), to);
      expect(result.outcomes.map((outcome) => outcome.result)).toEqual(["unchanged"]);
      expect(context.fake.requests).toEqual([]);
    });

    when("update", "updates a changed ad in place, leaving it live", async () => {
      let count = 0;
      const { adId, result } = await liveThenChanged(() => {
        count = context.listingCount();
      });
      expect(result.outcomes.map((outcome) => [outcome.result, outcome.operation])).toEqual([
        ["accepted", "update"],
      ]);
      expect(writesOn(context.fake).length).toBeGreaterThanOrEqual(1);
      const status = onlyStatus(await settle(adId));
      expect(status.state.presence).toBe("live");
      expect(status.state.operation?.kind).toBe("update");
      expect(status.state.operation?.status).toMatch(/^succeeded/);
      expect(context.listingCount()).toBe(count);
    });

    when("invalid", "sends nothing for an ad its local validation refuses", async () => {
      const result = await client.publish(context.invalidAd(nextId()), to);
      const outcome = onlyOutcome(result.outcomes);
      expect(outcome.result).toBe("invalid");
      expect(outcome.issues.length).toBeGreaterThan(0);
      expect(outcome.issues.every((entry) => entry.marketplace === target.marketplace)).toBe(true);
      expect(context.fake.requests).toEqual([]);
    });

    when("retry-503", "retries a create answered 503 and makes one listing", async () => {
      const adId = nextId();
      const before = context.listingCount();
      context.fake.injectFault({
        ...context.createRequest,
        fault: { type: "status", status: 503 },
      });
      await publishLive(adId);
      expect(context.listingCount()).toBe(before + 1);
    });

    when("lost-answer", "never creates twice when a create's answer is lost", async () => {
      const adId = nextId();
      const before = context.listingCount();
      context.fake.injectFault({ ...context.createRequest, fault: { type: "applyThenDrop" } });
      await publishLive(adId);
      expect(context.listingCount()).toBe(before + 1);
    });

    when("remove", "removes a listing", async () => {
      const adId = nextId();
      await publishLive(adId);
      const result = await client.remove(adId, to);
      expect(result.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
      const status = onlyStatus(await settle(adId));
      expect(status.state.presence).toBe("removed");
      expect(status.state.operation?.kind).toBe("remove");
    });

    /**
     * Publishes an ad live, then hides or renews it. Without the capability, the publisher
     * answers Unsupported and sends nothing (and this answers undefined).
     */
    const liveThen = async (operation: "hide" | "renew", capable: boolean) => {
      const adId = nextId();
      await publishLive(adId);
      context.fake.clearRequests();
      const result = await client[operation](adId, to);
      if (capable) return { adId, result };
      expect(result.outcomes.map((outcome) => outcome.reason)).toEqual(["Unsupported"]);
      expect(context.fake.requests).toEqual([]);
      return undefined;
    };

    when("hide-show", "hides and shows a listing where the marketplace can", async () => {
      const hidden = await liveThen("hide", target.capabilities.hide);
      if (hidden === undefined) return;
      const { adId } = hidden;
      expect(onlyStatus(await settle(adId)).state.presence).toBe("hidden");
      await client.show(adId, to);
      expect(onlyStatus(await settle(adId)).state.presence).toBe("live");
    });

    when("renew", "renews a listing where the marketplace can", async () => {
      const renewed = await liveThen("renew", target.capabilities.renew);
      if (renewed === undefined) return;
      const { adId, result } = renewed;
      expect(result.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
      const status = onlyStatus(await settle(adId));
      expect(status.state.operation?.kind).toBe("renew");
      expect(status.state.operation?.status).toMatch(/^succeeded/);
      expect(status.state.presence).toBe("live");
    });

    /** What the store keeps as last sent for the ad, decoded as the adapter's payload. */
    const storedPayloadOf = async (adapter: MarketplaceAdapter, adId: string) => {
      if (built === undefined) throw new Error("the suite builds its adapter in beforeAll");
      const record = await Effect.runPromise(
        Effect.flatMap(Store, (store) => store.get(adId, target.marketplace)).pipe(
          Effect.provide(built.layer),
        ),
      );
      const payload = Option.getOrUndefined(record)?.payload;
      return adapter.payloadSchema === undefined
        ? payload
        : Schema.decodeUnknownSync(adapter.payloadSchema)(payload);
    };

    when("find", "finds a listing adsync created by its ad id, and no other", async () => {
      const adId = nextId();
      const status = await publishLive(adId);
      const adapter = await adapterOf();
      const find = declared(adapter.find, "the adapter's find(adId)");
      // What the publisher hands `find`: the payload last sent (for marketplaces with no
      // field for the dealer's reference, e.g. Marktplaats, which look the ad up by it).
      const found = await Effect.runPromise(
        find(adId, { payload: await storedPayloadOf(adapter, adId) }),
      );
      expect(Option.map(found, (ref: ListingRef) => ref.remoteId)).toEqual(
        Option.some(status.ref?.remoteId),
      );
      context.fake.clearRequests();
      const never = `${adId}-never-published`;
      const neverSent = prepared(adapter, decoded(context.sampleAd(never))).payload;
      expect(await Effect.runPromise(find(never, { payload: neverSent }))).toEqual(Option.none());
      expect(writesOn(context.fake)).toEqual([]);
    });

    when("create-many", "creates several listings with createMany, one each", async () => {
      const adapter = await adapterOf();
      const createMany = declared(adapter.createMany, "batchPublication: createMany");
      const before = context.listingCount();
      const requests = [nextId(), nextId()].map((adId, index) => {
        const ad = decoded(context.sampleAd(adId));
        return {
          ad,
          prepared: prepared(adapter, ad),
          context: { operationId: `conformance-many-${index}`, resumed: false },
        };
      });
      const results = await Effect.runPromise(createMany(requests));
      expect(results.map((result) => Either.isRight(result))).toEqual([true, true]);
      const remoteIds = results.flatMap((result) =>
        Either.isRight(result) ? [result.right.ref.remoteId] : [],
      );
      expect(new Set(remoteIds).size).toBe(2);
      expect(context.listingCount()).toBe(before + 2);
    });

    when("patch-update", "sends only the changed keys in a patch update", async () => {
      const patch = declared(context.patchUpdate, "patchUpdates: the target's patchUpdate");
      const { adId, result } = await liveThenChanged();
      expect(result.outcomes.map((outcome) => outcome.operation)).toEqual(["update"]);
      const sent = writesOn(context.fake).map((request) => request.body);
      expect(requestsMatching(writesOn(context.fake), patch.request)).toHaveLength(1);
      expect(sent).toStrictEqual([patch.body(adId)]);
    });

    when("retry-after", "waits as a 429's Retry-After asks, then sends once more", async () => {
      const adapter = await adapterOf();
      const ad = decoded(context.sampleAd(nextId()));
      const before = context.listingCount();
      context.fake.injectFault({
        ...context.createRequest,
        fault: { type: "status", status: 429, retryAfter: "7" },
      });
      const clock = new SleepRecordingClock();
      const submitted = await Effect.runPromise(
        adapter
          .create(ad, prepared(adapter, ad), { operationId: "conformance-429", resumed: false })
          .pipe(Effect.withClock(clock)),
      );
      expect(submitted.ref.remoteId).toBeTruthy();
      const creates = requestsMatching(context.fake.requests, context.createRequest);
      expect(creates).toHaveLength(2);
      expect(creates[1]?.body).toStrictEqual(creates[0]?.body);
      // The wait before the second attempt is the marketplace's 7 s, not the backoff.
      expect(clock.sleeps).toContain(7_000);
      expect(context.listingCount()).toBe(before + 1);
    });

    when("oauth-refresh", "refreshes an invalidated access token once, and goes on", async () => {
      const oauth = declared(context.oauth, "oauth: the target's oauth (its fake's tokens)");
      const { adId, result } = await liveThenChanged(oauth.expireAccessTokens);
      expect(result.outcomes.map((outcome) => [outcome.result, outcome.operation])).toEqual([
        ["accepted", "update"],
      ]);
      const status = onlyStatus(await settle(adId));
      expect(status.state.operation?.status).toMatch(/^succeeded/);
      expect(requestsMatching(context.fake.requests, oauth.tokenRequest)).toHaveLength(1);
    });
  });
};
