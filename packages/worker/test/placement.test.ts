import { EntityId, ShardId } from "@effect/cluster";
import { describe, expect, it } from "@effect/vitest";
import { Effect, Hash } from "effect";
import * as fc from "fast-check";
import { OperationWorkflow, operationKey } from "../src/protocol.ts";
import { placementOf } from "../src/worker.ts";

/*
 * `placementOf` puts an operation's workflow on its pair entity's shard. What the worker relies
 * on: the execution id it hashes is the one the workflow engine computes for the same payload
 * (`OperationWorkflow.executionId`), so the engine's entity lands on the shard it was placed on.
 * Shards here are any function of the id (the cluster's is a hash modulo `shardsPerGroup`).
 */

const shardsPerGroup = 300;
const sharding = {
  getShardId: (entityId: EntityId.EntityId, group: string) =>
    ShardId.make(group, (Math.abs(Hash.string(entityId)) % shardsPerGroup) + 1),
};

describe("placing an operation's workflow on its pair's shard", () => {
  it.effect("the engine's execution id of the placed payload is on the target shard", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.record({
            dealer: fc.string({ minLength: 1 }),
            marketplace: fc.constantFrom("blocket", "tradera", "marktplaats", "allegro"),
            operationId: fc.string({ minLength: 1 }),
            target: fc.integer({ min: 1, max: shardsPerGroup }),
          }),
          async ({ target, ...pair }) => {
            const shard = ShardId.make("default", target);
            const placement = placementOf(sharding, shard, pair);
            expect(placement).toBeDefined();
            const executionId = await Effect.runPromise(
              OperationWorkflow.executionId({ ...pair, kind: "remove", adId: "a", placement }),
            );
            expect(sharding.getShardId(EntityId.make(executionId), "default")).toEqual(shard);
          },
        ),
        { numRuns: 50 },
      ),
    ),
  );

  it("leaves an unplaced operation's key as it was: `<pair>/<operationId>`", () => {
    // What a workflow started without a placement (an earlier release's) is found under.
    const pair = { dealer: "d/1", marketplace: "allegro", operationId: "op-1" };
    expect(operationKey(pair, undefined)).toBe("d%2F1/allegro/op-1");
    expect(operationKey(pair, 12)).toBe("d%2F1/allegro/op-1#12");
  });
});
