import { readFileSync } from "node:fs";
import { JSONSchema, Schema } from "effect";
import { describe, expect, it } from "vitest";
import { VehicleAd } from "../src/index.ts";

const committedPath = new URL("../vehicle-ad.schema.json", import.meta.url);
const committed: unknown = JSON.parse(readFileSync(committedPath, "utf8"));
const manifest: unknown = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
);

describe("@adsync/core/vehicle-ad.schema.json", () => {
  it("is what the VehicleAd Schema generates now (regenerate: pnpm --filter @adsync/core generate:schema)", () => {
    expect(committed).toEqual(JSONSchema.make(VehicleAd));
  });

  it("describes the encoded side: the fields a DMS sends, with the required ones", () => {
    expect(committed).toMatchObject({
      $schema: "http://json-schema.org/draft-07/schema#",
      $ref: "#/$defs/VehicleAd",
      $defs: {
        VehicleAd: {
          type: "object",
          required: ["id", "category", "description", "price", "vehicle"],
          additionalProperties: false,
        },
      },
    });
    const fields = Object.keys(VehicleAd.fields).sort();
    const described = Schema.decodeUnknownSync(
      Schema.Struct({
        $defs: Schema.Struct({
          VehicleAd: Schema.Struct({
            properties: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
          }),
        }),
      }),
    )(committed);
    expect(Object.keys(described.$defs.VehicleAd.properties).sort()).toEqual(fields);
  });

  it("is exported by the package and shipped in its tarball", () => {
    expect(manifest).toMatchObject({
      exports: { "./vehicle-ad.schema.json": "./vehicle-ad.schema.json" },
      publishConfig: { exports: { "./vehicle-ad.schema.json": "./vehicle-ad.schema.json" } },
      files: expect.arrayContaining(["vehicle-ad.schema.json"]),
    });
  });
});
