import { type Issue, VehicleAd } from "@adsync/core";
import { Either, Schema } from "effect";
import { describe, expect, it } from "vitest";
import { type BlocketMappingSettings, toBlocketPayload } from "../src/index.ts";

/** The documented field rules of the Blocket mapping, one example each. */

const v4: BlocketMappingSettings = {
  version: "v4",
  priceUnit: "minor",
  images: { max: 20, httpsOnly: true, tooMany: "truncate" },
  tokenScope: "dealer_group",
  dealerCode: "DEALER1",
};

const car = (extra: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(VehicleAd)({
    id: "rules-1",
    category: "car",
    description: "Välvårdad bil.",
    price: { list: { amount: 10_000_000, currency: "SEK" } },
    vehicle: {
      make: "Volvo",
      model: "V70",
      modelYear: 2012,
      bodyType: "wagon",
      mileage: { value: 18000, unit: "mil" },
      fuels: ["diesel"],
      transmission: "manual",
    },
    ...extra,
  });

const payloadOf = (ad: VehicleAd, settings = v4): Readonly<Record<string, unknown>> => {
  const mapped = toBlocketPayload(ad, settings);
  if (Either.isLeft(mapped)) throw new Error(JSON.stringify(mapped.left));
  const payload: unknown = mapped.right.payload;
  return typeof payload === "object" && payload !== null
    ? Object.fromEntries(Object.entries(payload))
    : {};
};

const issuesOf = (ad: VehicleAd, settings = v4): ReadonlyArray<Pick<Issue, "path" | "code">> => {
  const mapped = toBlocketPayload(ad, settings);
  return Either.isLeft(mapped) ? mapped.left.map(({ path, code }) => ({ path, code })) : [];
};

describe("location: one of LKF, zip code, coordinates, most precise first", () => {
  const everything = {
    postalCode: "121 33",
    coordinates: { latitude: 59.3, longitude: 18.1 },
    regionCodes: { lkf: "038004" },
  };

  it("sends the LKF code when the dealer gave one", () => {
    expect(payloadOf(car({ location: everything })).location).toEqual({ lkf: "038004" });
  });

  it("else the zip code, without spaces", () => {
    const { regionCodes: _, ...withoutLkf } = everything;
    expect(payloadOf(car({ location: withoutLkf })).location).toEqual({ zipcode: "12133" });
  });

  it("else the coordinates", () => {
    expect(payloadOf(car({ location: { coordinates: everything.coordinates } })).location).toEqual({
      latitude: 59.3,
      longitude: 18.1,
    });
  });

  it("refuses an LKF code that is neither four nor six digits", () => {
    expect(issuesOf(car({ location: { regionCodes: { lkf: "03800" } } }))).toEqual([
      { path: "location.regionCodes.lkf", code: "invalid_value" },
    ]);
  });
});

describe("video, product declaration and image handling", () => {
  it("takes a YouTube video and refuses other hosts", () => {
    expect(payloadOf(car({ video: "https://www.youtube.com/watch?v=abc" })).video_url).toBe(
      "https://www.youtube.com/watch?v=abc",
    );
    expect(issuesOf(car({ video: "https://videos.example.com/1.mp4" }))).toEqual([
      { path: "video", code: "invalid_value" },
    ]);
  });

  it("sends the product declaration and dont_publish_on_failed_images", () => {
    const payload = payloadOf(
      car({
        terms: { productDeclarationUrl: "https://dealer.example.com/vd.pdf" },
        marketplaces: { blocket: { dontPublishOnFailedImages: true } },
      }),
    );
    expect(payload.product_declaration).toBe("https://dealer.example.com/vd.pdf");
    expect(payload.dont_publish_on_failed_images).toBe(true);
  });
});

describe("dealer code and contact", () => {
  it("needs a dealer code with a group token, and names the option to set", () => {
    expect(issuesOf(car(), { ...v4, dealerCode: undefined })).toEqual([
      { path: "marketplaces.blocket.dealerCode", code: "required" },
    ]);
  });

  it("needs none with a single-dealer token", () => {
    const payload = payloadOf(car(), { ...v4, tokenScope: "dealer_code", dealerCode: undefined });
    expect(payload.dealer_code).toBeUndefined();
  });

  it("a boat (not a registered vehicle) needs a contact, phone sent as digits only", () => {
    const boat = (contact?: Record<string, string>) =>
      car({ category: "motorboat", ...(contact === undefined ? {} : { contact }) });
    expect(issuesOf(boat()).map((entry) => entry.path)).toEqual([
      "contact.name",
      "contact.phone",
      "contact.email",
    ]);
    const payload = payloadOf(
      boat({ name: "Båt AB", phone: "+46 70-123 45 67", email: "sales@boats.example.com" }),
    );
    expect(payload.contact).toEqual({
      name: "Båt AB",
      phone: "46701234567",
      email: "sales@boats.example.com",
    });
    expect(payload.title).toBe("Volvo V70 2012");
  });

  it("never sends a contact for a registered vehicle", () => {
    const payload = payloadOf(
      car({ contact: { name: "Bil AB", phone: "0701234567", email: "a@b.se" } }),
    );
    expect(payload.contact).toBeUndefined();
  });
});
