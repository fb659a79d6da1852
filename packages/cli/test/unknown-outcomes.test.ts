/**
 * Requests whose answer is lost although the marketplace applied them (the sandbox's
 * `applyThenDrop`), against the Marktplaats fake: the store must not keep saying something the
 * marketplace does not hold. Retries are off, so the lost answer is the operation's outcome.
 */
import { join } from "node:path";
import type { PublisherService, StoreService } from "@adsync/core";
import { type Sandbox, startSandbox } from "@adsync/sandbox";
import { Effect, Option } from "effect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTemporaryDirectories, temporaryDirectory } from "./cli-support.ts";
import { car, priceIn, processOn } from "./sandbox-publisher.ts";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.close();
  removeTemporaryDirectories();
});

const withProcess = <A>(
  body: (process: {
    publisher: PublisherService;
    store: StoreService;
  }) => Effect.Effect<A, unknown>,
) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(
        processOn(sandbox, join(temporaryDirectory(), "adsync.db"), {
          retry: { maxRetries: 0 },
        }),
        body,
      ),
    ),
  );

const listingOf = (store: StoreService, id: string) =>
  Effect.map(store.get(id, "marktplaats"), Option.getOrUndefined);

const patchesOf = (itemId: string) =>
  sandbox.marktplaats.requests.filter(
    (request) => request.method === "PATCH" && request.path.endsWith(`/${itemId}`),
  );

describe("Marktplaats answers lost after the request was applied", () => {
  it("a removal whose answer was lost: the next publishes find the ad gone and create it again", () =>
    withProcess(({ publisher, store }) =>
      Effect.gen(function* () {
        const id = "lost-removal-1";
        const before = sandbox.marktplaats.adCount();
        yield* publisher.publish(car(id, 1_000_000), { to: ["marktplaats"] });
        const itemId = (yield* listingOf(store, id))?.ref?.remoteId ?? "";
        sandbox.marktplaats.injectFault({
          method: "DELETE",
          path: `/v1/advertisements/${itemId}`,
          fault: { type: "applyThenDrop" },
        });
        const removed = yield* publisher.remove(id);
        expect(removed.outcomes[0]).toMatchObject({ result: "failed", reason: "Transport" });
        // Marktplaats received and applied the DELETE; only its answer was lost.
        expect(
          sandbox.marktplaats.requests.filter(
            (request) => request.method === "DELETE" && request.path.endsWith(`/${itemId}`),
          ),
        ).toHaveLength(1);

        // The dealer puts the car back on sale: the update meets "not found", which makes the
        // listing removed (not "live" forever), and the next publish creates it.
        const update = yield* publisher.publish(car(id, 900_000), { to: ["marktplaats"] });
        expect(update.outcomes[0]).toMatchObject({ result: "failed", reason: "NotFound" });
        expect((yield* listingOf(store, id))?.state.presence).toBe("removed");
        const again = yield* publisher.publish(car(id, 900_000), { to: ["marktplaats"] });
        expect(again.outcomes[0]?.result).toBe("accepted");

        const listing = yield* listingOf(store, id);
        expect(listing?.state.presence).toBe("live");
        expect(listing?.ref?.remoteId).not.toBe(itemId);
        const advertisement = sandbox.marktplaats.advertisement(listing?.ref?.remoteId ?? "");
        expect(priceIn(advertisement)).toBe(priceIn(listing?.payload));
        expect(sandbox.marktplaats.adCount() - before).toBe(2);
      }),
    ));

  it("an update whose answer was lost: publishing the previous content again is not 'unchanged'", () =>
    withProcess(({ publisher, store }) =>
      Effect.gen(function* () {
        const id = "lost-update-1";
        yield* publisher.publish(car(id, 1_000_000), { to: ["marktplaats"] });
        const itemId = (yield* listingOf(store, id))?.ref?.remoteId ?? "";
        const confirmed = priceIn((yield* listingOf(store, id))?.payload);
        sandbox.marktplaats.injectFault({
          method: "PATCH",
          path: `/v1/advertisements/${itemId}`,
          fault: { type: "applyThenDrop" },
        });
        const lost = yield* publisher.publish(car(id, 800_000), { to: ["marktplaats"] });
        expect(lost.outcomes[0]).toMatchObject({ result: "failed", reason: "Transport" });
        // Marktplaats holds the new price; the store still knows only the confirmed one.
        expect(priceIn(sandbox.marktplaats.advertisement(itemId))).not.toBe(confirmed);

        // The dealer goes back to the first price: it is sent, as the lost one may have landed.
        const patchesBefore = patchesOf(itemId).length;
        const back = yield* publisher.publish(car(id, 1_000_000), { to: ["marktplaats"] });
        expect(back.outcomes[0]?.result).toBe("accepted");
        expect(patchesOf(itemId).length - patchesBefore).toBe(1);
        expect(priceIn(sandbox.marktplaats.advertisement(itemId))).toBe(confirmed);
        expect(priceIn((yield* listingOf(store, id))?.payload)).toBe(confirmed);
      }),
    ));
});
