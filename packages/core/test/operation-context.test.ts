import { describe, expect, it } from "@effect/vitest";
import { Deferred, Effect, Exit, Fiber, FiberId, Option } from "effect";
import {
  initialState,
  makeMemoryStore,
  type OperationContext,
  Publisher,
  reduce,
} from "../src/index.ts";
import { fakeAdapter, publisherOver, refOf, settled } from "./fake-adapter.ts";
import { sampleAd as ad } from "./support/sample-ad.ts";

describe("the operation context adapters receive", () => {
  it.live("a create interrupted before its answer is resumed under the same operation id", () => {
    const contexts: Array<OperationContext | undefined> = [];
    let attempts = 0;
    const firstAttemptStarted = Deferred.unsafeMake<void>(FiberId.none);
    const blocket = fakeAdapter("blocket", {
      create: (ad, _prepared, context) =>
        Effect.suspend(() => {
          contexts.push(context);
          attempts += 1;
          // The first try never answers: the process is "stopped" mid-request.
          return attempts === 1
            ? Deferred.succeed(firstAttemptStarted, undefined).pipe(Effect.zipRight(Effect.never))
            : Effect.succeed(settled(refOf("blocket", ad.id), "live"));
        }),
    });
    const store = makeMemoryStore();
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      // Stopped once the request is under way, however long the machine took to get there.
      const running = yield* Effect.fork(publisher.publish(ad));
      yield* Deferred.await(firstAttemptStarted);
      expect(Exit.isInterrupted(yield* Fiber.interrupt(running))).toBe(true);
      const interrupted = Option.getOrThrow(yield* store.get(ad.id, "blocket"));
      expect(interrupted.state.operation).toMatchObject({ kind: "create", status: "pending" });
      expect(interrupted.state.operation?.requestId).toBeUndefined();

      const second = yield* publisher.publish(ad);
      expect(second.outcomes.map((outcome) => outcome.result)).toEqual(["accepted"]);
      expect(contexts).toHaveLength(2);
      expect(contexts[0]?.resumed).toBe(false);
      expect(contexts[1]?.resumed).toBe(true);
      expect(contexts[1]?.operationId).toBe(contexts[0]?.operationId);
      expect(second.outcomes[0]?.state.operation?.id).toBe(contexts[0]?.operationId);
    }).pipe(Effect.provide(publisherOver([blocket], store)));
  });

  it.effect("a fresh create is not resumed and gets a new operation id each time", () => {
    const contexts: Array<OperationContext | undefined> = [];
    const blocket = fakeAdapter("blocket", {
      create: (ad, _prepared, context) =>
        Effect.sync(() => {
          contexts.push(context);
          return settled(refOf("blocket", ad.id), "live");
        }),
    });
    return Effect.gen(function* () {
      const publisher = yield* Publisher;
      yield* publisher.publish(ad);
      yield* publisher.publish({ ...ad, id: "ad-2" });
      expect(contexts.map((context) => context?.resumed)).toEqual([false, false]);
      expect(contexts[0]?.operationId).not.toBe(contexts[1]?.operationId);
    }).pipe(Effect.provide(publisherOver([blocket])));
  });
});

describe("notes on an accepted operation", () => {
  it("reach the listing's state (e.g. a Marktplaats enrichment pending at create)", () => {
    const started = reduce(initialState, {
      _tag: "Started",
      operationId: "o1",
      kind: "create",
      at: 1,
    });
    const accepted = reduce(started, {
      _tag: "Accepted",
      operationId: "o1",
      status: "succeeded",
      presence: "live",
      notes: ["enrichment pending"],
      at: 2,
    });
    expect(accepted.notes).toEqual(["enrichment pending"]);
    expect(accepted.presence).toBe("live");
  });
});
