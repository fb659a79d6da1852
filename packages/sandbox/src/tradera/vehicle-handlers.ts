import type { FakeResponse } from "../http/fake-request.ts";
import { ok } from "../pro-import/responses.ts";
import type { MethodHandlers } from "../pro-import/routing.ts";
import type { TraderaCall } from "./context.ts";
import {
  BODY_STYLES,
  BRANDS,
  CAR_MODELS,
  COLORS,
  EQUIPMENTS,
  FUELS,
  MODELS_BY_BRAND,
  TRANSMISSIONS,
} from "./reference-data.ts";

// The endpoints of the guide's "Vehicle Reference Data" table, at the host root.
const LISTS: Readonly<Record<string, ReadonlyArray<string>>> = {
  brands: BRANDS,
  "car-body-styles": BODY_STYLES,
  colors: COLORS,
  fuels: FUELS,
  transmissions: TRANSMISSIONS,
  equipments: EQUIPMENTS,
};

/** The handlers of GET /vehicle/{name}; undefined for a name the guide does not list. */
export function vehicleRoute(name: string): MethodHandlers<TraderaCall> | undefined {
  if (name === "car-models") return { GET: listCarModels };
  const list = Object.hasOwn(LISTS, name) ? LISTS[name] : undefined;
  return list === undefined ? undefined : { GET: () => ok(list) };
}

/**
 * GET /vehicle/car-models: every model. The guide gives the endpoint no parameters; ?brand=
 * narrowing it to one brand's models (none for an unknown brand) is the fake's addition.
 */
function listCarModels(call: TraderaCall): FakeResponse {
  const brand = call.request.query.brand;
  if (brand === undefined) return ok(CAR_MODELS);
  return ok(MODELS_BY_BRAND.get(brand.toLowerCase()) ?? []);
}
