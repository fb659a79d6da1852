import type { Capabilities } from "@adsync/core";
import { describe, expect, it } from "vitest";
import { applicableCases, conformanceCases } from "../src/index.ts";

// biome-ignore format: core's eight capability flags, all off, read best as one line
const none: Capabilities = { patchUpdates: false, hide: false, renew: false, promote: false, schedule: false, remoteValidation: false, costPreview: false, batchPublication: false };

describe("which conformance cases apply", () => {
  it("every adapter: the lifecycle, find and a 429's Retry-After", () => {
    expect(applicableCases({ capabilities: none })).toEqual(
      conformanceCases.filter(
        (name) => !["create-many", "patch-update", "oauth-refresh"].includes(name),
      ),
    );
  });

  it("patch updates, batches and OAuth add their cases, and nothing else does", () => {
    const all = applicableCases({
      capabilities: { ...none, patchUpdates: true, batchPublication: true, promote: true },
      oauth: true,
    });
    expect(all).toEqual(conformanceCases);
  });
});
