import type { ApiVersion } from "./ad-record.ts";

// Every id of the category_id table in the V3 doc.
const CATEGORY_IDS: ReadonlySet<number> = new Set([
  1020, 1021, 1041, 1042, 1043, 1044, 1045, 1046, 1047, 1061, 1062, 1063, 1064, 1065, 1066, 1067,
  1081, 1082, 1083, 1084, 1085, 1101, 1102, 1103, 1121, 1122, 1123, 1140, 1143, 1161, 1162, 1163,
  1164, 1180, 1200, 1221, 1222, 1223, 1224, 1225, 1226, 2021, 2022, 2023, 2024, 2025, 2026, 2027,
  2028, 2041, 2042, 2043, 2044, 2045, 2046, 2047, 2048, 2049, 2050, 2061, 2062, 2063, 2064, 2065,
  2066, 4020, 4041, 4042, 4043, 4044, 4045, 4061, 4062, 4063, 4064, 4080, 5021, 5022, 5023, 5024,
  5025, 5026, 5027, 5041, 5042, 5043, 5044, 5045, 5046, 5047, 5061, 5062, 6021, 6022, 6023, 6025,
  6026, 6031, 6032, 6034, 6035, 6040, 6061, 6062, 6063, 6064, 6065, 6066, 6067, 6081, 6082, 6083,
  6084, 6085, 6086, 6087, 6088, 6089, 6090, 6101, 6102, 6103, 6104, 6105, 6106, 6107, 6121, 6122,
  6123, 6124, 6125, 6126, 6127, 6141, 6142, 6143, 6161, 6162, 6163, 6164, 6165, 6166, 6167, 6181,
  6182, 6183, 6184, 6185, 6186, 6187, 7021, 7022, 7023, 7024, 7025, 7041, 7042, 7043, 7044, 7045,
  7046, 7047, 7061, 7062, 7063, 7064, 7066, 8020, 8040,
]);

// "Children's Clothing & Shoes (not yet supported)" and "Clothing & Shoes (not yet supported)".
const NOT_YET_SUPPORTED: ReadonlySet<number> = new Set([4020, 4080]);

/** Registered-vehicle categories: no title or contact, category_fields required, Bytbil id. */
const REGISTERED_VEHICLE_CATEGORIES: ReadonlySet<number> = new Set([
  1020, 1021, 1045, 1101, 1102, 1121, 1122, 1140, 1143, 1180,
]);

// The ✨ V4 categories: "only available as simple ads via the legacy /v3/ad endpoint".
const V4_ONLY_CATEGORIES: ReadonlySet<number> = new Set([1121, 1102, 1101, 1045]);

// Trailers and caravans have no engine: no mileage or powertrain to require.
const UNMOTORISED_CATEGORIES: ReadonlySet<number> = new Set([1045, 1101]);

export type CategoryCheck = "known" | "unknown" | "not_yet_supported";

export function checkCategory(categoryId: number): CategoryCheck {
  if (!CATEGORY_IDS.has(categoryId)) return "unknown";
  return NOT_YET_SUPPORTED.has(categoryId) ? "not_yet_supported" : "known";
}

/** Whether full vehicle data for this category needs /v4/ad (Moped, Camper, Caravan, Trailer). */
export function requiresV4(categoryId: number): boolean {
  return V4_ONLY_CATEGORIES.has(categoryId);
}

export function isMotorised(categoryId: number): boolean {
  return !UNMOTORISED_CATEGORIES.has(categoryId);
}

/**
 * Whether an ad written with this API version is a registered-vehicle ad. A V3 ad in a V4-only
 * category is a simple ad (title, contact, no category_fields), per the category_id section.
 */
export function isRegisteredVehicleAd(categoryId: number, version: ApiVersion): boolean {
  if (!REGISTERED_VEHICLE_CATEGORIES.has(categoryId)) return false;
  return version === "v4" || !requiresV4(categoryId);
}

/** V4-only categories, listed for error messages. */
export const V4_ONLY_CATEGORY_LIST = [...V4_ONLY_CATEGORIES].join(", ");
