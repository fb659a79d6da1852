/**
 * The CLI's registry drives its config file: each section is checked by its marketplace's
 * descriptor, a key naming no marketplace is an error, and `--to` knows the registry's ids.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Secret, SecretEnvironment } from "@adsync/core";
import { Effect, Either, Redacted, Schema } from "effect";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { configuredMarketplaces, parseTargets } from "../src/marketplaces.ts";
import { defaultRegistry, marketplaceIds } from "../src/registry.ts";
import { removeTemporaryDirectories, temporaryDirectory } from "./cli-support.ts";

afterAll(removeTemporaryDirectories);

const configFile = (value: unknown): string => {
  const file = join(temporaryDirectory(), "adsync.config.json");
  writeFileSync(file, JSON.stringify(value));
  return file;
};

describe("the registry and the config file", () => {
  it("lists the four marketplaces adsync ships, 2dehands as Marktplaats' second site", () => {
    expect(marketplaceIds(defaultRegistry)).toEqual([
      "blocket",
      "tradera",
      "marktplaats",
      "2dehands",
      "allegro",
    ]);
  });

  it("a key under marketplaces that names no marketplace is an error naming it", () => {
    const loaded = loadConfig(configFile({ marketplaces: { ebay: { token: "t" } } }));
    expect(Either.isLeft(loaded)).toBe(true);
    expect(Either.isLeft(loaded) ? loaded.left : "").toContain("ebay");
  });

  it("each section is checked by its descriptor's schema (2dehands needs its hosts)", () => {
    const loaded = loadConfig(
      configFile({
        marketplaces: { "2dehands": { clientId: "c", clientSecret: "s", refreshToken: "r" } },
      }),
    );
    expect(Either.isLeft(loaded) ? loaded.left : "").toContain("baseUrl");
  });

  it("keeps valid sections as written, in the registry's order", () => {
    const loaded = loadConfig(
      configFile({
        marketplaces: {
          allegro: { clientId: "c", clientSecret: "env:SECRET", refreshToken: "r" },
          blocket: { token: "env:BLOCKET_TOKEN" },
        },
      }),
    );
    if (Either.isLeft(loaded)) throw new Error(loaded.left);
    expect(loaded.right.config.marketplaces.blocket).toEqual({ token: "env:BLOCKET_TOKEN" });
    expect(configuredMarketplaces(loaded.right)).toEqual(["blocket", "allegro"]);
  });

  it("--to: an unknown id is named before a configured-ness check", () => {
    expect(parseTargets("blocket,ebay", ["blocket"])).toEqual(
      Either.left(
        "Unknown marketplace: ebay. Known: blocket, tradera, marktplaats, 2dehands, allegro.",
      ),
    );
    expect(parseTargets("allegro", ["blocket"])).toEqual(
      Either.left("Not configured: allegro. Configured: blocket."),
    );
  });
});

describe("Secret", () => {
  const decode = (text: string, environment?: Record<string, string>) =>
    Schema.decodeUnknown(Secret)(text).pipe(
      environment === undefined
        ? (effect) => effect
        : Effect.provideService(SecretEnvironment, environment),
      Effect.either,
      Effect.runSync,
    );

  it("reads env:NAME from the environment it is given, and never prints the value", () => {
    const decoded = decode("env:TOKEN", { TOKEN: "s3cret" });
    if (Either.isLeft(decoded)) throw new Error(decoded.left.message);
    expect(Redacted.value(decoded.right)).toBe("s3cret");
    expect(String(decoded.right)).not.toContain("s3cret");
  });

  it("an unset variable fails naming it; without an environment the text is the secret", () => {
    const unset = decode("env:TOKEN", {});
    expect(Either.isLeft(unset) ? unset.left.message : "").toContain(
      "The environment variable TOKEN (named in the config as env:TOKEN) is not set.",
    );
    const plain = decode("env:TOKEN");
    expect(Either.map(plain, Redacted.value)).toEqual(Either.right("env:TOKEN"));
  });
});
