import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@effect/vitest";
import Database from "better-sqlite3";
import { Effect } from "effect";
import { temporaryDirectory } from "./temporary-directory.ts";

const child = fileURLToPath(new URL("./processes/crash-after-record.ts", import.meta.url));

/** Runs the crashing writer and answers what it printed (the callers that resumed). */
const crashAfterRecords = (path: string) =>
  Effect.async<{ readonly printed: ReadonlyArray<string>; readonly signal: string | null }>(
    (resume) => {
      const process_ = spawn(process.execPath, ["--import", "tsx", child, path, "40", "10"], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      process_.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      process_.once("exit", (_code, signal) =>
        resume(Effect.succeed({ printed: out.split("\n").filter(Boolean), signal })),
      );
    },
  );

describe("SQLite store and a crash", () => {
  it.scoped(
    "every write whose caller resumed is in the file after the process was killed",
    () =>
      Effect.gen(function* () {
        const path = join(yield* temporaryDirectory, "crash.db");
        const { printed, signal } = yield* crashAfterRecords(path);
        expect(signal).toBe("SIGKILL");
        expect(printed.length).toBeGreaterThanOrEqual(10);
        const database = new Database(path, { readonly: true });
        try {
          const stored = new Set(
            database
              .prepare("SELECT ad_id FROM listings")
              .all()
              .map((row) =>
                typeof row === "object" && row !== null && "ad_id" in row ? row.ad_id : "",
              ),
          );
          for (const adId of printed) expect(stored.has(adId)).toBe(true);
        } finally {
          database.close();
        }
      }),
    120_000,
  );
});
