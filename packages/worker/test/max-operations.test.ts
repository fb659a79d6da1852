import {
  DealerPublishers,
  type DealerPublishersService,
  type PublisherService,
} from "@adsync/core";
import { Deferred, Effect, Fiber, Layer, Ref, TestClock, TestContext } from "effect";
import { describe, expect, it } from "vitest";
import {
  defaultMaxOperations,
  maxOperationsLayer,
  servedLayer,
  workerLayer,
} from "../src/worker.ts";

/**
 * `--max-operations` (`WorkerOptions.maxOperations`): the worker's `DealerPublishers` lends
 * publishers to at most N callers at once; the others wait, and go on as permits come back.
 * Over a fake `DealerPublishers` (no PostgreSQL, no processes); time is `TestClock`'s.
 */

/** A fake `DealerPublishers` counting the callers inside it at once (and the most ever). */
const counting = Effect.gen(function* () {
  const inside = yield* Ref.make(0);
  const most = yield* Ref.make(0);
  const enter = Ref.updateAndGet(inside, (n) => n + 1).pipe(
    Effect.flatMap((now) => Ref.update(most, (seen) => Math.max(seen, now))),
  );
  const leave = Ref.update(inside, (n) => n - 1);
  // The publisher itself is never called: the fake's `use` stands for its work.
  const publisher = {} as PublisherService;
  const service: DealerPublishersService = {
    withPublisher: (_dealer, use) =>
      Effect.scoped(
        Effect.zipRight(
          Effect.acquireRelease(enter, () => leave),
          use(publisher),
        ),
      ),
    publisherFor: (_dealer) =>
      Effect.as(
        Effect.acquireRelease(enter, () => leave),
        publisher,
      ),
    invalidate: () => Effect.void,
  };
  return { service, most, inside };
});

/** Runs `operations` callers through the bounded service, each "working" 1 s of TestClock time. */
const run = (max: number, operations: number, how: "withPublisher" | "publisherFor") =>
  Effect.gen(function* () {
    const fake = yield* counting;
    const bounded = yield* Effect.provide(
      DealerPublishers,
      maxOperationsLayer(max).pipe(Layer.provide(Layer.succeed(DealerPublishers, fake.service))),
    );
    const done = yield* Ref.make(0);
    const work = Effect.zipRight(
      Effect.sleep("1 second"),
      Ref.update(done, (n) => n + 1),
    );
    const fiber = yield* Effect.fork(
      Effect.forEach(
        Array.from({ length: operations }, (_, index) => `d-${index % 7}`),
        (dealer) =>
          how === "withPublisher"
            ? bounded.withPublisher(dealer, () => work)
            : Effect.scoped(Effect.zipRight(bounded.publisherFor(dealer), work)),
        { concurrency: "unbounded", discard: true },
      ),
    );
    // One second at a time: each round lets exactly the callers holding permits finish.
    const rounds: Array<number> = [];
    for (let round = 0; round < Math.ceil(operations / max); round++) {
      yield* TestClock.adjust("1 second");
      rounds.push(yield* Ref.get(done));
    }
    yield* Fiber.join(fiber);
    return { most: yield* Ref.get(fake.most), rounds, inside: yield* Ref.get(fake.inside) };
  }).pipe(Effect.provide(TestContext.TestContext));

describe("the worker's bound on operations in flight", () => {
  it("runs at most N operations' publisher work at once, and every one of them", async () => {
    const result = await Effect.runPromise(run(4, 18, "withPublisher"));
    expect(result.most).toBe(4);
    // 4 a second: 18 operations in 5 rounds, none left inside.
    expect(result.rounds).toEqual([4, 8, 12, 16, 18]);
    expect(result.inside).toBe(0);
  });

  it("holds a permit for as long as a publisherFor's scope", async () => {
    const result = await Effect.runPromise(run(3, 7, "publisherFor"));
    expect(result.most).toBe(3);
    expect(result.rounds).toEqual([3, 6, 7]);
  });

  it("gives the permit back when a caller fails or is interrupted", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const fake = yield* counting;
        const bounded = yield* Effect.provide(
          DealerPublishers,
          maxOperationsLayer(1).pipe(Layer.provide(Layer.succeed(DealerPublishers, fake.service))),
        );
        yield* Effect.either(bounded.withPublisher("d-1", () => Effect.fail("refused")));
        const started = yield* Deferred.make<void>();
        const stuck = yield* Effect.fork(
          bounded.withPublisher("d-1", () =>
            Effect.zipRight(Deferred.succeed(started, undefined), Effect.never),
          ),
        );
        yield* Deferred.await(started);
        // A waiter interrupted before it got a permit takes none with it.
        const waiting = yield* Effect.fork(bounded.withPublisher("d-2", () => Effect.void));
        yield* Fiber.interrupt(waiting);
        yield* Fiber.interrupt(stuck);
        return yield* bounded.withPublisher("d-3", () => Effect.succeed("ran"));
      }),
    );
    expect(result).toBe("ran");
  });

  it("refuses a bound that is not a whole number above 0, before anything connects", async () => {
    expect(defaultMaxOperations).toBe(100);
    for (const maxOperations of [0, -1, 2.5]) {
      const failure = await Effect.runPromise(
        Effect.flip(
          Layer.launch(
            workerLayer({
              databaseUrl: "postgres://adsync@127.0.0.1:1/adsync",
              listen: "127.0.0.1:24601",
              marketplaces: [],
              maxOperations,
            }),
          ),
        ),
      );
      expect(failure.message).toContain("maxOperations expects a whole number above 0");
    }
  });

  it("leaves the reconcile passes beside the bound: a pass runs while every permit is held", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const fake = yield* counting;
        const builds = yield* Ref.make(0);
        const holding = yield* Deferred.make<void>();
        const reconciled = yield* Deferred.make<void>();
        const queued = yield* Ref.make(false);
        // The operations' side: one holds the only permit for good, a second waits for it.
        const operations = Layer.scopedDiscard(
          Effect.gen(function* () {
            const publishers = yield* DealerPublishers;
            yield* Effect.forkScoped(
              publishers.withPublisher("d-1", () =>
                Effect.zipRight(Deferred.succeed(holding, undefined), Effect.never),
              ),
            );
            yield* Deferred.await(holding);
            yield* Effect.forkScoped(publishers.withPublisher("d-2", () => Ref.set(queued, true)));
          }),
        );
        // The reconcile side: a pass visiting a dealer once the operations' permit is taken.
        const reconcile = Layer.scopedDiscard(
          Effect.gen(function* () {
            const publishers = yield* DealerPublishers;
            yield* Deferred.await(holding);
            yield* Effect.forkScoped(
              publishers.withPublisher("d-3", () => Deferred.succeed(reconciled, undefined)),
            );
          }),
        );
        const publishers = Layer.effect(
          DealerPublishers,
          Effect.as(
            Ref.update(builds, (n) => n + 1),
            fake.service,
          ),
        );
        return yield* Effect.scoped(
          Effect.gen(function* () {
            yield* Layer.build(
              servedLayer({ operations, reconcile, publishers, maxOperations: 1 }),
            );
            yield* Deferred.await(reconciled);
            return {
              builds: yield* Ref.get(builds),
              queued: yield* Ref.get(queued),
              most: yield* Ref.get(fake.most),
            };
          }),
        );
      }),
    );
    // One DealerPublishers for both sides; the pass ran beside the held permit (2 inside at
    // once), the second operation still waits for it.
    expect(result).toEqual({ builds: 1, queued: false, most: 2 });
  });
});
