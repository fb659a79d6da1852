import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Effect } from "effect";

/** A directory under the OS temp dir, removed with everything in it when the scope closes. */
export const temporaryDirectory = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "adsync-store-sqlite-"))),
  (directory) => Effect.sync(() => rmSync(directory, { recursive: true, force: true })),
);
