import {
  DealerPublishers,
  type DealerPublishersService,
  type PublisherService,
} from "@adsync/core";
import { Deferred, Effect, Fiber, Layer, Ref, TestClock, TestContext } from "effect";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  makeOperationPermits,
  type OperationOrder,
  OperationPermits,
  type OperationPermitsService,
} from "../src/operation-permits.ts";
import {
  defaultMaxOperations,
  servedLayer,
  type WorkerOptions,
  workerLayer,
} from "../src/worker.ts";

/**
 * `--max-operations` (`WorkerOptions.maxOperations`): the worker's `OperationPermits` let at
 * most N operations run at once; the others wait, and go on as permits come back, in
 * `operationOrder`. No PostgreSQL, no processes; time is `TestClock`'s.
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

/** `operations` callers through N permits, each "working" 1 s of TestClock time. */
const run = (max: number, operations: number) =>
  Effect.gen(function* () {
    const fake = yield* counting;
    const permits = yield* makeOperationPermits(max);
    const done = yield* Ref.make(0);
    const work = Effect.zipRight(
      Effect.sleep("1 second"),
      Ref.update(done, (n) => n + 1),
    );
    const fiber = yield* Effect.fork(
      Effect.forEach(
        Array.from({ length: operations }, (_, index) => index),
        (index) =>
          fake.service
            .withPublisher(`d-${index % 7}`, () => work)
            .pipe(permits.withPermit(["allegro", "blocket"][index % 2] as string)),
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

/**
 * A caller holding one of `permits` (for `marketplace`) once this returns, until the returned
 * `Deferred` is completed.
 */
const holding = (permits: OperationPermitsService, marketplace: string) =>
  Effect.gen(function* () {
    const release = yield* Deferred.make<void>();
    const held = yield* Deferred.make<void>();
    yield* Effect.fork(
      permits.withPermit(marketplace)(
        Effect.zipRight(Deferred.succeed(held, undefined), Deferred.await(release)),
      ),
    );
    yield* Deferred.await(held);
    return release;
  });

/**
 * Who gets the permit first, with one permit: Allegro's operations have held it 6 s lately and
 * Blocket's 1 s; then, while a third caller holds it, Blocket asks at 0 s, Allegro at 2 s and
 * Blocket again at 6 s.
 */
const served = (order: OperationOrder) =>
  Effect.gen(function* () {
    const permits = yield* makeOperationPermits(1, order);
    yield* Effect.fork(permits.withPermit("allegro")(Effect.sleep("6 seconds")));
    yield* TestClock.adjust("6 seconds");
    yield* Effect.fork(permits.withPermit("blocket")(Effect.sleep("1 second")));
    yield* TestClock.adjust("1 second");
    const release = yield* holding(permits, "other");
    const order_ = yield* Ref.make<ReadonlyArray<string>>([]);
    const ask = (name: string, marketplace: string) =>
      Effect.fork(permits.withPermit(marketplace)(Ref.update(order_, (names) => [...names, name])));
    const asked = [yield* ask("blocket at 0 s", "blocket")];
    yield* TestClock.adjust("2 seconds");
    asked.push(yield* ask("allegro at 2 s", "allegro"));
    yield* TestClock.adjust("4 seconds");
    asked.push(yield* ask("blocket at 6 s", "blocket"));
    yield* Deferred.succeed(release, undefined);
    yield* Fiber.joinAll(asked);
    return yield* Ref.get(order_);
  }).pipe(Effect.provide(TestContext.TestContext));

/** How a worker with these options fails to start (port 1 on loopback: nothing to reach). */
const refusal = (options: Partial<WorkerOptions>) =>
  Effect.runPromise(
    Effect.flip(
      Layer.launch(
        workerLayer({
          databaseUrl: "postgres://adsync@127.0.0.1:1/adsync",
          listen: "127.0.0.1:24601",
          marketplaces: [],
          ...options,
        }),
      ),
    ),
  );

describe("the worker's bound on operations in flight", () => {
  it("runs at most N operations' work at once, and every one of them", async () => {
    const result = await Effect.runPromise(run(4, 18));
    expect(result.most).toBe(4);
    // 4 a second: 18 operations in 5 rounds, none left inside.
    expect(result.rounds).toEqual([4, 8, 12, 16, 18]);
    expect(result.inside).toBe(0);
  });

  it("gives the permit back when a caller fails or is interrupted", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const permits = yield* makeOperationPermits(1);
        yield* Effect.either(permits.withPermit("allegro")(Effect.fail("refused")));
        const started = yield* Deferred.make<void>();
        const stuck = yield* Effect.fork(
          permits.withPermit("allegro")(
            Effect.zipRight(Deferred.succeed(started, undefined), Effect.never),
          ),
        );
        yield* Deferred.await(started);
        // A waiter interrupted before it got a permit takes none with it.
        const waiting = yield* Effect.fork(permits.withPermit("blocket")(Effect.void));
        yield* Fiber.interrupt(waiting);
        yield* Fiber.interrupt(stuck);
        return yield* permits.withPermit("blocket")(Effect.succeed("ran"));
      }),
    );
    expect(result).toBe("ran");
  });

  it("passes on a permit handed to a waiter that was being interrupted", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const permits = yield* makeOperationPermits(1);
        const release = yield* holding(permits, "allegro");
        const waiter = yield* Effect.fork(permits.withPermit("blocket")(Effect.never));
        yield* Effect.yieldNow();
        // The holder is woken first, the waiter's interruption sent next: the holder hands the
        // permit over before the waiter sees its interruption, so the waiter gives it up unused.
        yield* Deferred.succeed(release, undefined);
        yield* Fiber.interruptFork(waiter);
        yield* Fiber.await(waiter);
        // Stuck for good if the permit was lost: given up after a second of TestClock time.
        const last = yield* Effect.fork(
          permits
            .withPermit("blocket")(Effect.succeed("ran"))
            .pipe(
              Effect.timeoutTo({
                duration: "1 second",
                onTimeout: () => "stuck",
                onSuccess: String,
              }),
            ),
        );
        yield* TestClock.adjust("1 second");
        return yield* Fiber.join(last);
      }).pipe(Effect.provide(TestContext.TestContext)),
    );
    expect(result).toBe("ran");
  });

  it("paced: a waiter ranks by arrival less its marketplace's recent operation length", async () => {
    // Allegro's waiter (2 s, less 6) goes before Blocket's (0 s, less 1); Blocket's at 6 s
    // (5 s) comes last: an operation is passed only by one that came less than the difference
    // of their means after it.
    expect(await Effect.runPromise(served("paced"))).toEqual([
      "allegro at 2 s",
      "blocket at 0 s",
      "blocket at 6 s",
    ]);
  });

  it("arrival: first come, first served", async () => {
    expect(await Effect.runPromise(served("arrival"))).toEqual([
      "blocket at 0 s",
      "allegro at 2 s",
      "blocket at 6 s",
    ]);
  });

  it("never leaves a permit idle while one waits, never runs more than N, runs each once; paced passes a waiter only within the passer's length", async () => {
    const lengths = { blocket: 1, marktplaats: 2, allegro: 6 } as const;
    const slowest = 6;
    const operation = fc.record({
      marketplace: fc.constantFrom("blocket", "marktplaats", "allegro"),
      arrives: fc.integer({ min: 0, max: 12 }),
      // Some callers give up while they wait (or while they run).
      interruptedAt: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom<OperationOrder>("paced", "arrival"),
        fc.array(operation, { minLength: 1, maxLength: 16 }),
        async (max, order, operations) => {
          const timeline = await Effect.runPromise(
            Effect.gen(function* () {
              const permits = yield* makeOperationPermits(max, order);
              const log: Array<{ at: number; index: number; what: "start" | "end" }> = [];
              const now = () => TestClock.currentTimeMillis;
              const fibers = yield* Effect.forEach(operations, (each, index) =>
                Effect.fork(
                  Effect.zipRight(
                    Effect.sleep(`${each.arrives} seconds`),
                    permits.withPermit(each.marketplace)(
                      Effect.gen(function* () {
                        log.push({ at: yield* now(), index, what: "start" });
                        yield* Effect.sleep(`${lengths[each.marketplace]} seconds`);
                        log.push({ at: yield* now(), index, what: "end" });
                      }),
                    ),
                  ),
                ),
              );
              for (let second = 0; second <= 30 + 16 * slowest; second++) {
                for (const [index, each] of operations.entries()) {
                  if (each.interruptedAt === second)
                    yield* Effect.fork(Fiber.interrupt(fibers[index] as Fiber.RuntimeFiber<void>));
                }
                yield* TestClock.adjust("1 second");
              }
              yield* Effect.forEach(fibers, Fiber.await);
              return log;
            }).pipe(Effect.provide(TestContext.TestContext)),
          );
          const startOf = new Map<number, number>();
          const endOf = new Map<number, number>();
          for (const entry of timeline) {
            const seen = entry.what === "start" ? startOf : endOf;
            expect(seen.has(entry.index)).toBe(false);
            seen.set(entry.index, entry.at / 1_000);
          }
          // Waiting at second t: arrived, not started, not given up.
          const running = (t: number) =>
            [...startOf].filter(
              ([index, start]) =>
                start <= t &&
                (endOf.get(index) ?? Number.POSITIVE_INFINITY) > t &&
                !(
                  operations[index]?.interruptedAt !== undefined &&
                  (operations[index]?.interruptedAt as number) <= t
                ),
            ).length;
          const waiting = (t: number) =>
            operations.filter(
              (each, index) =>
                each.arrives <= t &&
                (startOf.get(index) ?? Number.POSITIVE_INFINITY) > t &&
                (each.interruptedAt === undefined || each.interruptedAt > t),
            ).length;
          for (let t = 0; t <= 30 + 16 * slowest; t++) {
            expect(running(t)).toBeLessThanOrEqual(max);
            if (waiting(t) > 0) expect(running(t)).toBe(max);
          }
          // Every operation not given up ran to its end.
          for (const [index, each] of operations.entries())
            if (each.interruptedAt === undefined) expect(endOf.has(index)).toBe(true);
          // Passing: b started while a waited, though a came first.
          for (const [a, first] of operations.entries())
            for (const [b, second] of operations.entries()) {
              const startA = startOf.get(a);
              const startB = startOf.get(b);
              if (startA === undefined || startB === undefined) continue;
              if (second.arrives > first.arrives && startB < startA) {
                if (order === "arrival") expect.fail(`${b} passed ${a} in arrival order`);
                // b's rank (its arrival less its marketplace's mean, never above its length)
                // came before a's (its arrival less a mean of at least 0).
                expect(second.arrives - first.arrives).toBeLessThanOrEqual(
                  lengths[second.marketplace],
                );
              }
            }
        },
      ),
      { seed: 13, numRuns: 25 },
    );
  });

  it("refuses a bound that is not a whole number above 0, before anything connects", async () => {
    expect(defaultMaxOperations).toBe(100);
    for (const maxOperations of [0, -1, 2.5]) {
      const failure = await refusal({ maxOperations });
      expect(failure.message).toContain("maxOperations expects a whole number above 0");
    }
  });

  it('refuses an operation order other than "paced" or "arrival", before anything connects', async () => {
    const failure = await refusal({ operationOrder: "random" as OperationOrder });
    expect(failure.message).toContain('operationOrder expects "paced" or "arrival", got random');
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
            const permits = yield* OperationPermits;
            yield* Effect.forkScoped(
              publishers
                .withPublisher("d-1", () =>
                  Effect.zipRight(Deferred.succeed(holding, undefined), Effect.never),
                )
                .pipe(permits.withPermit("blocket")),
            );
            yield* Deferred.await(holding);
            yield* Effect.forkScoped(
              publishers
                .withPublisher("d-2", () => Ref.set(queued, true))
                .pipe(permits.withPermit("blocket")),
            );
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
