import type { VehicleCategory } from "@adsync/core";

/** Blocket category ids per vehicle kind (Pro Import doc, "category_id"). */
export const blocketCategoryId: Readonly<Record<VehicleCategory, number>> = {
  car: 1020,
  van: 1021,
  trailer: 1045,
  caravan: 1101,
  motorhome: 1102,
  moped: 1121,
  a_tractor: 1122,
  motorcycle: 1140,
  atv: 1143,
  snowmobile: 1180,
  motorboat: 1061,
  sailboat: 1062,
  // "Vehicles > Trucks, Machinery & Construction > Truck & Bus": a plain ad, no category fields.
  truck: 1221,
};

/**
 * Registered vehicles: `title` and `contact` are not required ("Contact is not relevant for
 * registered vehicles"), `category_fields` are. Boats and hunting have category fields but are
 * not registered vehicles.
 */
export const registeredVehicleCategories: ReadonlySet<number> = new Set([
  1020, 1021, 1045, 1101, 1102, 1121, 1122, 1140, 1143, 1180,
]);

/**
 * "Categories marked with ✨ V4 require the /v4/ad endpoint for full registered vehicle support
 * … only available as simple ads via the legacy /v3/ad endpoint", and V3 ads in them are
 * "Blocked — use /migrate endpoint" for PUT/PATCH through V4.
 */
export const v4OnlyCategories: ReadonlySet<number> = new Set([1121, 1102, 1101, 1045]);

/** Categories with category fields although not registered vehicles. */
export const categoryFieldCategories: ReadonlySet<number> = new Set([1061, 1062]);

/** Trailers and caravans have no engine: no mileage, transmission or fuels. */
export const unmotorisedCategories: ReadonlySet<number> = new Set([1045, 1101]);
