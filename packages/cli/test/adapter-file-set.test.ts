import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * One file set for every adapter package (#10): the same concept has the same file name in
 * each, so a reader who knows one adapter finds their way in the next, and a fifth marketplace
 * starts from this list. Concepts only one marketplace has live in a named folder beside them
 * (Marktplaats' `patch/`, Allegro's `flow/`, …). docs/architecture.md, "One file set".
 */
const sharedFiles = (id: string): ReadonlyArray<string> => [
  "index.ts", // the intended public API, nothing more
  "descriptor.ts", // the registry entry: id, config schema, capabilities, make
  "adapter.ts", // the MarketplaceAdapter and its service
  "config.ts", // the adapter's configuration and per-ad options
  "client.ts", // the endpoints
  "wire.ts", // the marketplace's JSON as Schemas
  "errors.ts", // error bodies → issues and reasons
  "status.ts", // the marketplace's states → Progress (`progressOf`)
  `mapping/to-${id}.ts`, // the ad → the payload create and update send (`prepare`)
  `mapping/from-${id}.ts`, // what the marketplace or the store holds, read back
];

const adapterPackages = ["blocket", "tradera", "marktplaats", "allegro"] as const;

/** Every file under a package's `src`, as paths relative to it with "/" separators. */
const sourceFiles = (id: string): ReadonlyArray<string> => {
  const root = fileURLToPath(new URL(`../../${id}/src/`, import.meta.url));
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
};

describe("adapter file set", () => {
  for (const id of adapterPackages) {
    it(`${id} has the shared file set`, () => {
      const files = new Set(sourceFiles(id));
      expect(sharedFiles(id).filter((file) => !files.has(file))).toEqual([]);
    });
  }

  it("reads each package's source tree, folders included", () => {
    expect(sourceFiles("allegro")).toContain("flow/offer-flow.ts");
  });
});
