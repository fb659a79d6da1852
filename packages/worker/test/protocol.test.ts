import { Either, Schema } from "effect";
import { describe, expect, it } from "vitest";
import { pairId, parseListen, WorkItem } from "../src/index.ts";

describe("the worker's names", () => {
  it("gives each (dealer, marketplace) its own entity id, whatever the dealer id holds", () => {
    expect(pairId("d-17", "blocket")).toBe("d-17/blocket");
    expect(pairId("a/b", "c")).not.toBe(pairId("a", "b/c"));
    expect(pairId("a/b", "c")).toBe("a%2Fb/c");
  });

  it("reads --listen as host:port", () => {
    expect(Either.getOrThrow(parseListen("127.0.0.1:24601"))).toMatchObject({
      host: "127.0.0.1",
      port: 24601,
    });
    expect(Either.getOrThrow(parseListen("[::1]:24601"))).toMatchObject({ host: "::1" });
    expect(Either.isLeft(parseListen("24601"))).toBe(true);
    expect(Either.isLeft(parseListen("host:70000"))).toBe(true);
  });

  it("decodes the two kinds of work item and refuses others", () => {
    const decode = Schema.decodeUnknownEither(WorkItem);
    const common = { dealer: "d", marketplace: "blocket", operationId: "op" };
    expect(Either.isRight(decode({ ...common, kind: "publish", ad: { id: "a" } }))).toBe(true);
    expect(Either.isRight(decode({ ...common, kind: "remove", adId: "a" }))).toBe(true);
    expect(Either.isLeft(decode({ ...common, kind: "remove" }))).toBe(true);
    expect(Either.isLeft(decode({ ...common, kind: "hide", adId: "a" }))).toBe(true);
    expect(Either.isLeft(decode({ ...common, operationId: "", kind: "remove", adId: "a" }))).toBe(
      true,
    );
  });
});
