import { describe, expect, it } from "vitest";
import { main } from "../../cli/src/cli.ts";
import type { Io } from "../../cli/src/context.ts";

/** `adsync worker` refuses bad options before it connects to anything (exit 2, a message). */
const run = async (args: ReadonlyArray<string>) => {
  const out: Array<string> = [];
  const err: Array<string> = [];
  const io: Io = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    environment: {},
  };
  // Port 1 on loopback: nothing listens there, so reaching the database would fail otherwise.
  const code = await main(
    ["worker", "--database-url", "postgres://adsync@127.0.0.1:1/adsync", ...args],
    io,
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
};

describe("adsync worker's options", () => {
  it("refuses a --listen that is not host:port", async () => {
    const result = await run(["--listen", "24601"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--listen expects host:port, got "24601"');
  });

  it("refuses a lock refresh not shorter than the lock expiration", async () => {
    const result = await run([
      "--listen",
      "127.0.0.1:24601",
      "--lock-refresh",
      "10",
      "--lock-expiration",
      "5",
    ]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("--lock-refresh must be shorter than --lock-expiration");
  });

  it("refuses a reconcile cron that does not parse", async () => {
    const result = await run(["--listen", "127.0.0.1:24601", "--reconcile-cron", "every hour"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('reconcile cron "every hour"');
  });

  it("refuses a --max-operations that is not a whole number above 0", async () => {
    for (const value of ["0", "-3"]) {
      const result = await run(["--listen", "127.0.0.1:24601", "--max-operations", value]);
      expect(result.code).toBe(2);
      expect(result.err).toContain("expected a whole number of operations above 0");
    }
    const words = await run(["--listen", "127.0.0.1:24601", "--max-operations", "many"]);
    expect(words.code).toBe(2);
    expect(words.err).toContain("many");
  });

  it('refuses a --placement other than "pair" or "spread"', async () => {
    const result = await run(["--listen", "127.0.0.1:24601", "--placement", "random"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("Expected one of the following cases: pair, spread");
  });

  it('refuses an --operation-order other than "paced" or "arrival"', async () => {
    const result = await run(["--listen", "127.0.0.1:24601", "--operation-order", "random"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("Expected one of the following cases: paced, arrival");
  });

  it('refuses a --reference-cache that is neither hours above 0 nor "off"', async () => {
    for (const value of ["0", "-1", "a day"]) {
      const result = await run(["--listen", "127.0.0.1:24601", "--reference-cache", value]);
      expect(result.code).toBe(2);
      expect(result.err).toContain(
        `--reference-cache expects hours above 0 or "off", got "${value}"`,
      );
    }
  });
});
