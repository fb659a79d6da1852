import type { FakeResponse } from "../http/fake-request.ts";
import { ok } from "../pro-import/responses.ts";
import { messages } from "../pro-import/validation/errors.ts";
import type { BlocketCall } from "./context.ts";
import { BODY_TYPES, FUELS, VEHICLE_BRANDS, VEHICLE_MODELS } from "./reference-data.ts";
import { badRequest } from "./responses.ts";

/** GET /v3/vehicle/brands */
export const listBrands = (): FakeResponse => ok(VEHICLE_BRANDS);

/** GET /v3/vehicle/models?brand=…: "Retrieve models for a brand"; an unknown brand has none. */
export function listModels(call: BlocketCall): FakeResponse {
  const brand = call.request.query.brand;
  if (brand === undefined || brand === "") return badRequest({ brand: [messages.required] });
  return ok(VEHICLE_MODELS[brand.toLowerCase()] ?? []);
}

/** GET /v3/vehicle/body_types */
export const listBodyTypes = (): FakeResponse => ok(BODY_TYPES);

/** GET /v3/vehicle/fuels */
export const listFuels = (): FakeResponse => ok(FUELS);
