import { Findings, VehicleAd } from "@adsync/core";
import { Either, Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultMakeAliases } from "../src/categories/tree.ts";
import { fieldErrorCodes, issuesFromBody } from "../src/errors.ts";
import { allowedTags, descriptionToHtml, htmlToText } from "../src/mapping/description.ts";
import { containsUrl, mapTitle } from "../src/mapping/fields.ts";
import { type MappingSettings, toMarktplaatsPayload } from "../src/mapping/to-marktplaats.ts";
import { planPatch } from "../src/patch/advertisement-patch.ts";
import { vehicleAdArbitrary } from "./arbitraries.ts";
import { snapshot } from "./snapshot.ts";
import { carAd } from "./support.ts";

const settings: MappingSettings = {
  site: "marktplaats",
  priceUnit: "cents",
  apiPartner: false,
  makeAliases: defaultMakeAliases,
};

const map = (ad: VehicleAd) => toMarktplaatsPayload(ad, settings, snapshot);

const advertisementOf = (ad: VehicleAd): Record<string, unknown> | undefined => {
  const result = map(ad);
  if (Either.isLeft(result)) return undefined;
  const payload = result.right.payload;
  return typeof payload === "object" && payload !== null && "advertisement" in payload
    ? Object.fromEntries(Object.entries(Object(payload.advertisement)))
    : undefined;
};

describe("toMarktplaatsPayload (properties)", () => {
  it("is total: any valid ad maps to a payload or to issues, never throws", () => {
    fc.assert(
      fc.property(vehicleAdArbitrary, (ad) => {
        const result = map(ad);
        if (Either.isLeft(result)) expect(result.left.length).toBeGreaterThan(0);
        for (const entry of Either.isLeft(result) ? result.left : result.right.warnings) {
          expect(entry.marketplace).toBe("marktplaats");
        }
      }),
      { numRuns: 400 },
    );
  });

  it("maps a good share of the generated ads, so the properties below are not vacuous", () => {
    const sample = fc.sample(vehicleAdArbitrary, { numRuns: 400, seed: 42 });
    const mapped = sample.filter((ad) => Either.isRight(map(ad))).length;
    expect(mapped).toBeGreaterThan(40);
  });

  it("respects every documented limit in what it sends", () => {
    fc.assert(
      fc.property(vehicleAdArbitrary, (ad) => {
        const advertisement = advertisementOf(ad);
        if (advertisement === undefined) return;
        const title = String(advertisement.title);
        expect(title.length).toBeGreaterThanOrEqual(3);
        expect(title.length).toBeLessThanOrEqual(60);
        expect(containsUrl(title)).toBe(false);
        expect(String(advertisement.description).length).toBeLessThanOrEqual(65_535);
        if (advertisement.licensePlate !== undefined) {
          expect([6, 8]).toContain(String(advertisement.licensePlate).length);
        }
        const seller = Object(advertisement.seller);
        if (seller.sellerName !== undefined)
          expect(seller.sellerName.length).toBeLessThanOrEqual(30);
        if (seller.phoneNumber !== undefined)
          expect(seller.phoneNumber.length).toBeLessThanOrEqual(12);
        const location = Object(advertisement.location);
        expect(location.postcode === undefined || location.postcode.length <= 6).toBe(true);
        expect(location.postcode !== undefined || location.cityName !== undefined).toBe(true);
        expect(location.postcode !== undefined && location.cityName !== undefined).toBe(false);
        if (advertisement.stickerText !== undefined)
          expect(String(advertisement.stickerText).length).toBeLessThanOrEqual(18);
        if (advertisement.partNumber !== undefined)
          expect(String(advertisement.partNumber).length).toBeLessThanOrEqual(25);
        if (advertisement.videoUrl !== undefined) {
          expect(String(advertisement.videoUrl).length).toBeLessThanOrEqual(150);
          expect(new URL(String(advertisement.videoUrl)).hostname).toMatch(
            /^marktplaats\.(carviewer|movieplayer)\.nl$/,
          );
        }
        expect(["nl-NL", undefined]).toContain(advertisement.locale);
        expect(Number.isInteger(Object(advertisement.priceModel).askingPrice ?? 0)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("writes a description with only the allowed tags and no accidental wiki markup", () => {
    fc.assert(
      fc.property(vehicleAdArbitrary, (ad) => {
        const html = descriptionToHtml(ad.description);
        for (const [, tag] of html.matchAll(/<\/?([a-z]+)[^>]*>/g))
          expect(allowedTags.has(tag ?? "")).toBe(true);
        expect(html).not.toMatch(/\*\*|\/\/|__/);
        expect(html).not.toMatch(/(^|\n)\s*[*-]\s/);
        expect(html).not.toContain("\n");
      }),
      { numRuns: 400 },
    );
  });

  it("keeps every URL of the text readable, and every word", () => {
    fc.assert(
      fc.property(vehicleAdArbitrary, (ad) => {
        const shown = htmlToText(descriptionToHtml(ad.description));
        for (const [url] of ad.description.matchAll(/https?:\/\/\S+/g))
          expect(shown).toContain(url);
        const words = (text: string) =>
          text.split(/\s+/).filter((word) => !/^[-*]$/.test(word) && word !== "");
        expect(words(shown)).toEqual(words(ad.description.replace(/^\s*[-*]\s+/gm, "")));
      }),
      { numRuns: 400 },
    );
  });
});

describe("toMarktplaatsPayload (examples)", () => {
  it("places a car in the L2 of its make, through aliases", () => {
    const car = Schema.decodeUnknownSync(VehicleAd)(carAd("a-1"));
    expect(advertisementOf(car)?.categoryId).toBe(157);
    const unknownMake = Schema.decodeUnknownSync(VehicleAd)({
      ...carAd("a-2"),
      vehicle: { ...carAd("a-2").vehicle, make: "Trabant" },
    });
    const result = map(unknownMake);
    expect(Either.isLeft(result) && result.left.map((entry) => entry.path)).toContain(
      "vehicle.make",
    );
    const unknownModel = Schema.decodeUnknownSync(VehicleAd)({
      ...carAd("a-3"),
      vehicle: { ...carAd("a-3").vehicle, model: "Beetle" },
    });
    const modelResult = map(unknownModel);
    expect(Either.isLeft(modelResult) && modelResult.left.map((entry) => entry.path)).toContain(
      "vehicle.model",
    );
  });

  it("takes euro cents", () => {
    const car = Schema.decodeUnknownSync(VehicleAd)(carAd("p-1"));
    expect(advertisementOf(car)?.priceModel).toEqual({
      modelType: "fixed",
      askingPrice: 1_899_500,
    });
    const euros = toMarktplaatsPayload(car, { ...settings, priceUnit: "euros" }, snapshot);
    expect(
      Either.isRight(euros) && Object(euros.right.payload).advertisement.priceModel.askingPrice,
    ).toBe(18_995);
  });
});

describe("the advertisement PATCH", () => {
  it("never removes an enrichment field", () => {
    expect(
      planPatch({ title: "a", energyLabel: "B" }, { title: "b" }, { assumeDerivedCity: true }),
    ).toEqual([{ op: "replace", path: "/title", value: "b" }]);
  });
});

describe("errors", () => {
  it("maps every documented field-error code to an issue on a canonical path", () => {
    for (const [code, canonical] of Object.entries(fieldErrorCodes)) {
      const field =
        code.startsWith("ad-change") || code.startsWith("category") ? "categoryId" : "title";
      const [entry] = issuesFromBody("marktplaats", 400, {
        code: "validation-failure",
        fieldErrors: [{ field, code, message: code }],
      });
      expect(entry).toMatchObject({
        code: canonical,
        path: field === "categoryId" ? "vehicle.make" : "title",
      });
    }
  });

  it("maps the request-level error codes", () => {
    const cases = [
      ["invalid-item-id", 400, "remote_error"],
      ["invalid-json", 400, "remote_error"],
      ["incorrect-content-type", 400, "remote_error"],
      ["advertisement-not-found", 404, "not_found"],
      ["conflicting-state", 409, "conflict"],
    ] as const;
    for (const [code, status, canonical] of cases) {
      expect(issuesFromBody("marktplaats", status, { code, message: code })).toEqual([
        expect.objectContaining({ path: "", code: canonical, marketplacePath: code }),
      ]);
    }
  });

  it("sends attribute errors to the canonical field that filled them", () => {
    const issues = issuesFromBody("marktplaats", 400, {
      code: "validation-failure",
      fieldErrors: [
        { field: "mileage", code: "field-value-out-of-range", message: "x" },
        { field: "seller.phoneNumber", code: "input-invalid", message: "x" },
        { field: "location.postcode", code: "input-too-long", message: "x" },
      ],
    });
    expect(issues.map((entry) => [entry.path, entry.code])).toEqual([
      ["vehicle.mileage", "out_of_range"],
      ["contact.phone", "invalid_value"],
      ["location.postalCode", "too_long"],
    ]);
  });
});

describe("mapTitle", () => {
  it("cuts a title whose first word passes 60 characters instead of dropping it", () => {
    const findings = new Findings("marktplaats");
    const vehicle = Schema.decodeUnknownSync(VehicleAd)({
      id: "t-1",
      category: "car",
      description: "x",
      price: { list: { amount: 100, currency: "EUR" } },
      vehicle: { make: "Volkswagen", model: "Golf", modelYear: 2019 },
    }).vehicle;
    const title = mapTitle(
      "VW Golf-GTI-Clubsport-S-Performance-Edition-Pano-Navi-Leder-Xenon-2019",
      vehicle,
      findings,
    );
    expect(findings.issues).toEqual([]);
    expect(title?.length).toBeGreaterThanOrEqual(3);
    expect([...(title ?? "")].length).toBeLessThanOrEqual(60);
    expect(findings.warnings.map((warning) => warning.code)).toEqual(["too_long"]);
  });
});
