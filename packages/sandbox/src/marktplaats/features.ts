import type { FakeResponse } from "../http/fake-request.ts";
import type { AdvertisementCall } from "./advertisement-handlers.ts";
import { errorResponse, validationFailure } from "./responses.ts";
import type { StoredAdvertisement } from "./store.ts";

/**
 * Paid features of an advertisement (the doc's `advertisement-features` and
 * `buy-advertisement-feature` pages, not in our copy): `url`, `sticker` (the "opvalsticker")
 * and `video` make those fields show; `bump` and `top-ad` promote the ad. Names, prices (in
 * cents) and shapes are sandbox data: `GET …/features` answers
 * `{_embedded: {"mp:advertisement-feature": [{name, active, price}]}}`, `POST …/buy-feature`
 * takes `{feature}` and answers the bought feature.
 */
export const fakeFeatures: Readonly<Record<string, number>> = {
  url: 395,
  sticker: 295,
  video: 495,
  bump: 195,
  "top-ad": 1_495,
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const featureJson = (stored: StoredAdvertisement, name: string) => ({
  name,
  active: stored.features.has(name),
  price: fakeFeatures[name],
});

export function getFeatures(stored: StoredAdvertisement): FakeResponse {
  return {
    status: 200,
    body: {
      _links: { self: { href: `/v1/advertisements/${stored.itemId}/features` } },
      _embedded: {
        "mp:advertisement-feature": Object.keys(fakeFeatures).map((name) =>
          featureJson(stored, name),
        ),
      },
    },
  };
}

export function buyFeature(call: AdvertisementCall, stored: StoredAdvertisement): FakeResponse {
  const body = call.request.body;
  const feature = isObject(body) && typeof body.feature === "string" ? body.feature : undefined;
  if (feature === undefined || fakeFeatures[feature] === undefined) {
    return validationFailure([
      {
        field: "feature",
        code: "input-invalid",
        message: "unknown feature",
        value: Object.keys(fakeFeatures),
      },
    ]);
  }
  if (stored.document.status === "deactivated")
    return errorResponse(409, "conflicting-state", "A deactivated advertisement takes no feature");
  stored.features.add(feature);
  return { status: 201, body: featureJson(stored, feature) };
}
