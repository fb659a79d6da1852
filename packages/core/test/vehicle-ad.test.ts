import { describe, expect, it } from "@effect/vitest";
import { Either } from "effect";
import { decodeOrIssues, type Issue, VehicleAd, type VehicleAdInput } from "../src/index.ts";
import { sampleAd as minimalAd } from "./support/sample-ad.ts";

const decode = decodeOrIssues(VehicleAd);

/** The smallest ad a DMS may send: every optional field left out. */
const issuesOf = (input: unknown): ReadonlyArray<Issue> =>
  Either.match(decode(input), {
    onLeft: (issues) => issues,
    onRight: () => [],
  });

describe("VehicleAd", () => {
  it("decodes a minimal ad and applies the defaults", () => {
    const decoded = decode(minimalAd);
    expect(Either.isRight(decoded)).toBe(true);
    if (Either.isLeft(decoded)) return;
    expect(decoded.right.images).toEqual([]);
    expect(decoded.right.vehicle.fuels).toEqual([]);
    expect(decoded.right.vehicle.equipment).toEqual([]);
    expect(decoded.right.vehicle.condition).toBe("used");
    expect(decoded.right.price).toEqual({ list: { amount: 35_000_000, currency: "SEK" } });
  });

  it("keeps every field of a complete ad", () => {
    const complete = {
      ...minimalAd,
      title: "Volvo XC90 D5 AWD",
      price: {
        list: { amount: 35_000_000, currency: "SEK" },
        reduced: { amount: 33_000_000, currency: "SEK" },
        monthly: { amount: 450_000, currency: "SEK" },
      },
      images: ["https://cdn.example.com/1.jpg", "http://cdn.example.com/2.jpg"],
      video: "https://video.example.com/v/1",
      url: "https://dealer.example.com/cars/1",
      location: {
        postalCode: "111 22",
        city: "Stockholm",
        country: "SE",
        coordinates: { latitude: 59.33, longitude: 18.06 },
        regionCodes: { lkf: "0180" },
      },
      contact: { name: "Anna", phone: "+46 8 123 45", email: "anna@dealer.example.com" },
      vehicle: {
        make: "Volvo",
        model: "XC90",
        variant: "D5 AWD Inscription",
        modelYear: 2019,
        bodyType: "suv",
        colour: "black",
        registrationNumber: "ABC123",
        vin: "YV1LFA2BCH1234567",
        mileage: { value: 4500, unit: "mil" },
        fuels: ["diesel"],
        transmission: "automatic",
        power: { value: 173, unit: "kw" },
        condition: "new",
        equipment: ["navigation", "heated_seats"],
      },
      terms: { warranty: "12 months", productDeclarationUrl: "https://dealer.example.com/d.pdf" },
      marketplaces: { blocket: { excludeBytbil: true } },
    } satisfies VehicleAdInput;
    const decoded = decode(complete);
    expect(decoded).toEqual(Either.right(complete));
  });

  it("accepts call-for-price or a monthly price instead of a list price", () => {
    expect(Either.isRight(decode({ ...minimalAd, price: { callForPrice: true } }))).toBe(true);
    expect(
      Either.isRight(decode({ ...minimalAd, price: { monthly: { amount: 1, currency: "EUR" } } })),
    ).toBe(true);
  });

  it("reports a price with no price kind on the path `price`", () => {
    expect(issuesOf({ ...minimalAd, price: {} })).toEqual([
      {
        path: "price",
        code: "invalid_value",
        message: "give a list price, a monthly price or callForPrice",
      },
    ]);
    expect(issuesOf({ ...minimalAd, price: { callForPrice: false } })).toContainEqual(
      expect.objectContaining({ path: "price", code: "invalid_value" }),
    );
  });

  it("reports a bad currency on `price.list.currency`", () => {
    const issues = issuesOf({ ...minimalAd, price: { list: { amount: 100, currency: "sek" } } });
    expect(issues).toContainEqual({
      path: "price.list.currency",
      code: "invalid_value",
      message: "a three-letter ISO 4217 code, e.g. SEK",
    });
  });

  it("reports a negative or fractional amount on `price.list.amount`", () => {
    for (const amount of [-1, 1.5]) {
      const issues = issuesOf({ ...minimalAd, price: { list: { amount, currency: "SEK" } } });
      expect(issues.map((entry) => entry.path)).toContain("price.list.amount");
    }
  });

  it("reports a bad URL with its index among the images", () => {
    const issues = issuesOf({
      ...minimalAd,
      images: ["https://cdn.example.com/1.jpg", "ftp://cdn.example.com/2.jpg"],
    });
    expect(issues).toContainEqual({
      path: "images.1",
      code: "invalid_value",
      message: "an absolute http(s) URL",
    });
    expect(issues.map((entry) => entry.path)).not.toContain("images.0");
  });

  it("reports a bad dealer URL on `url`", () => {
    expect(issuesOf({ ...minimalAd, url: "not a url" })).toContainEqual({
      path: "url",
      code: "invalid_value",
      message: "an absolute http(s) URL",
    });
  });

  // A dealer fixing the ad reads every issue: an optional field that is wrong must not also be
  // reported as "Expected undefined, actual …", which tells them to delete the field.
  it("reports an invalid optional field once, without an 'Expected undefined' issue", () => {
    expect(issuesOf({ ...minimalAd, url: "not a url" })).toEqual([
      { path: "url", code: "invalid_value", message: "an absolute http(s) URL" },
    ]);
    expect(issuesOf({ ...minimalAd, images: ["ftp://cdn.example.com/1.jpg"] })).toEqual([
      { path: "images.0", code: "invalid_value", message: "an absolute http(s) URL" },
    ]);
  });

  it("reports a bad id on `id`", () => {
    for (const id of ["", "-starts-with-dash", "has space", "x".repeat(101)]) {
      expect(issuesOf({ ...minimalAd, id })).toContainEqual({
        path: "id",
        code: "invalid_value",
        message: "1–100 characters: letters, digits and . _ : -",
      });
    }
    expect(Either.isRight(decode({ ...minimalAd, id: "x".repeat(100) }))).toBe(true);
  });

  it("reports an excess property as unknown_field with its dotted path", () => {
    expect(issuesOf({ ...minimalAd, colour: "red" })).toContainEqual(
      expect.objectContaining({ path: "colour", code: "unknown_field" }),
    );
    expect(
      issuesOf({ ...minimalAd, vehicle: { ...minimalAd.vehicle, horsepower: 200 } }),
    ).toContainEqual(
      expect.objectContaining({ path: "vehicle.horsepower", code: "unknown_field" }),
    );
  });

  it("reports a missing required field as required with its dotted path", () => {
    const { make: _make, ...vehicle } = minimalAd.vehicle;
    expect(issuesOf({ ...minimalAd, vehicle })).toEqual([
      { path: "vehicle.make", code: "required", message: "is missing" },
    ]);
  });

  it("reports every issue at once, not only the first", () => {
    const issues = issuesOf({
      ...minimalAd,
      id: "-bad",
      price: { list: { amount: 1, currency: "kr" } },
      vehicle: { ...minimalAd.vehicle, modelYear: 1800, vin: "short" },
    });
    const paths = issues.map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining(["id", "price.list.currency", "vehicle.modelYear", "vehicle.vin"]),
    );
  });

  it("answers issues instead of throwing for input that is not an object", () => {
    for (const input of [null, undefined, 42, "ad", []]) {
      const issues = issuesOf(input);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues[0]?.path).toBe("");
    }
  });
});
