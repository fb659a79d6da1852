import { afterEach, describe, expect, it, vi } from "vitest";
import { mappingVersionOf, referenceMappingVersion } from "../src/index.ts";
import { inputHash } from "../src/publisher/fingerprint.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("mapping versions (#14)", () => {
  it("change with the revision and with any setting that shapes the payload, not with key order", () => {
    const base = mappingVersionOf("m-1", { priceUnit: "minor", limits: { title: 100 } });
    expect(mappingVersionOf("m-1", { limits: { title: 100 }, priceUnit: "minor" })).toBe(base);
    expect(mappingVersionOf("m-2", { priceUnit: "minor", limits: { title: 100 } })).not.toBe(base);
    expect(mappingVersionOf("m-1", { priceUnit: "major", limits: { title: 100 } })).not.toBe(base);
    expect(mappingVersionOf("m-1", { priceUnit: "minor", limits: { title: 90 } })).not.toBe(base);
  });

  it("with reference data: none until it is loaded, then one per content (a Map's entries count), none once older than the TTL", () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const version = referenceMappingVersion("m-1", { priceUnit: "minor" }, "1 hour");
    expect(version.current()).toBeUndefined();
    version.loaded({ fuels: ["Diesel"], attributes: new Map([[1, ["a"]]]) });
    const first = version.current();
    expect(first).toBeDefined();
    version.loaded({ fuels: ["Diesel"], attributes: new Map([[1, ["a"]]]) });
    expect(version.current()).toBe(first);
    version.loaded({ fuels: ["Diesel"], attributes: new Map([[1, ["b"]]]) });
    expect(version.current()).not.toBe(first);
    version.loaded({ fuels: ["Diesel", "El"], attributes: new Map([[1, ["a"]]]) });
    expect(version.current()).not.toBe(first);
    vi.setSystemTime(60 * 60 * 1000);
    expect(version.current()).toBeUndefined();
  });
});

describe("the input hash", () => {
  it("is the two-seed cyrb53 of the input's JSON text (digits pinned: stored fingerprints stay valid)", () => {
    expect(inputHash({ id: "ad-1", price: 100 })).toBe("1b4953126133a210455f799f7481");
    expect(inputHash("Välvårdad Volvo XC90 – 2019 ✓")).toBe("0468abc5a3f49f1fe06dc71160c4");
    expect(inputHash({ id: "", images: [] })).toBe("0277e892561f5009a32fc0583e4e");
  });
});
