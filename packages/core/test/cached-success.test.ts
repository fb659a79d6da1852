import { describe, expect, it } from "@effect/vitest";
import { Deferred, Effect, Either, Fiber, Ref, TestClock } from "effect";
import { cachedSuccessWithTTL } from "../src/index.ts";

/** A load that fails while `failing` holds and counts its runs. */
const counted = (failing: Ref.Ref<boolean>, runs: Ref.Ref<number>) =>
  Effect.flatMap(
    Ref.updateAndGet(runs, (count) => count + 1),
    (run) =>
      Effect.flatMap(Ref.get(failing), (fails) =>
        fails ? Effect.fail(`failure ${run}`) : Effect.succeed(`value ${run}`),
      ),
  );

describe("cachedSuccessWithTTL", () => {
  it.effect("answers a failure once and loads again on the next call", () =>
    Effect.gen(function* () {
      const failing = yield* Ref.make(true);
      const runs = yield* Ref.make(0);
      const cached = yield* cachedSuccessWithTTL(counted(failing, runs), "1 hour");
      expect(yield* Effect.either(cached)).toEqual(Either.left("failure 1"));
      yield* Ref.set(failing, false);
      expect(yield* cached).toBe("value 2");
      expect(yield* cached).toBe("value 2");
      expect(yield* Ref.get(runs)).toBe(2);
    }),
  );

  it.effect("keeps a success for its time to live, then loads again", () =>
    Effect.gen(function* () {
      const failing = yield* Ref.make(false);
      const runs = yield* Ref.make(0);
      const cached = yield* cachedSuccessWithTTL(counted(failing, runs), "1 hour");
      expect(yield* cached).toBe("value 1");
      yield* TestClock.adjust("59 minutes");
      expect(yield* cached).toBe("value 1");
      yield* TestClock.adjust("1 minute");
      expect(yield* cached).toBe("value 2");
    }),
  );

  it.effect("shares one load between concurrent callers", () =>
    Effect.gen(function* () {
      const runs = yield* Ref.make(0);
      const release = yield* Deferred.make<void>();
      const load = Effect.zipRight(
        Ref.update(runs, (count) => count + 1),
        Effect.as(Deferred.await(release), "value"),
      );
      const cached = yield* cachedSuccessWithTTL(load, "1 hour");
      const callers = yield* Effect.fork(Effect.all([cached, cached, cached], { concurrency: 3 }));
      yield* Effect.yieldNow();
      yield* Deferred.succeed(release, undefined);
      expect(yield* Fiber.join(callers)).toEqual(["value", "value", "value"]);
      expect(yield* Ref.get(runs)).toBe(1);
    }),
  );
});
