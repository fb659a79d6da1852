/**
 * A process that records `Started` writes concurrently and, the moment one of them has resumed
 * `count` callers, kills itself (SIGKILL: no finalizer, no flush) — a crash just before the
 * requests those records announce would be sent. Each resumed caller's ad id is printed first.
 * Usage: crash-after-record.ts <database path> <writes> <count>
 */
import { writeSync } from "node:fs";
import { Effect } from "effect";
import { makeSqliteStore } from "../../src/index.ts";
import { event, listing, pending, started } from "../fixtures.ts";

const [path = "", writes = "40", count = "10"] = process.argv.slice(2);
let resumed = 0;

await Effect.runPromise(
  Effect.scoped(
    Effect.gen(function* () {
      const store = yield* makeSqliteStore({ path });
      yield* Effect.all(
        Array.from({ length: Number(writes) }, (_, index) =>
          Effect.andThen(
            store.record(
              listing(`ad-${index}`, "blocket", pending, index),
              event(`ad-${index}`, "blocket", started(`op-${index}`, index), pending),
            ),
            () =>
              Effect.sync(() => {
                // The request would be sent here: the write is committed by now.
                writeSync(1, `ad-${index}\n`);
                resumed += 1;
                if (resumed >= Number(count)) process.kill(process.pid, "SIGKILL");
              }),
          ),
        ),
        { concurrency: "unbounded" },
      );
    }),
  ),
);
