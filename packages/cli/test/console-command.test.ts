import { Command } from "@effect/cli";
import { NodeContext } from "@effect/platform-node";
import { type Console, Deferred, Effect, Fiber } from "effect";
import { describe, expect, it } from "vitest";
import { consoleCommand } from "../src/commands/console.ts";

const run = Command.run(consoleCommand, { name: "adsync", version: "test" });

/** The current Console, except that every logged line goes to `onLine`. */
const capturing = (onLine: (line: string) => void) =>
  Effect.map(
    Effect.console,
    (current): Console.Console => ({
      ...current,
      log: (...args) => Effect.sync(() => onLine(args.map(String).join(" "))),
    }),
  );

describe("adsync console", () => {
  it("refuses a non-loopback host without an access token", async () => {
    const exit = await Effect.runPromiseExit(
      run(["node", "adsync", "--host", "0.0.0.0", "--port", "0"]).pipe(
        Effect.provide(NodeContext.layer),
      ),
    );
    expect(exit._tag).toBe("Failure");
    expect(JSON.stringify(exit)).toContain("without an access token");
  });

  it("serves the console on 127.0.0.1 and says where", async () => {
    const program = Effect.gen(function* () {
      const address = yield* Deferred.make<string>();
      const onLine = (line: string) => {
        const url = line.match(/http:\/\/\S+\//)?.[0];
        if (url !== undefined) Deferred.unsafeDone(address, Effect.succeed(url));
      };
      const fiber = yield* run(["node", "adsync", "--port", "0"]).pipe(
        Effect.withConsole(yield* capturing(onLine)),
        Effect.fork,
      );
      const url = yield* Deferred.await(address).pipe(Effect.timeout("60 seconds"));
      const response = yield* Effect.promise(() => fetch(`${url}api/listings`));
      yield* Fiber.interrupt(fiber);
      return { url, status: response.status };
    });
    const { url, status } = await Effect.runPromise(
      program.pipe(Effect.provide(NodeContext.layer)),
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(status).toBe(200);
  }, 90_000);
});
