import { makeMemoryStore } from "@adsync/core";
import { Effect } from "effect";
import { storeConformance } from "./store-conformance.ts";

storeConformance(
  "memory",
  Effect.sync(makeMemoryStore),
  // A store in memory lives as long as its process: a "restart" is a new publisher on it.
  Effect.sync(() => {
    const store = makeMemoryStore();
    return Effect.succeed(store);
  }),
);
