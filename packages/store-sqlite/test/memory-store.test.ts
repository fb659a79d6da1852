import { makeMemoryStore } from "@adsync/core";
import { Effect } from "effect";
import { storeConformance } from "./store-conformance.ts";

storeConformance("memory", Effect.sync(makeMemoryStore));
