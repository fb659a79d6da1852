import { isEnrichmentField, readOnlyFields } from "../wire.ts";
import { diffJsonPatch, isJsonObject, type JsonPatchOperation } from "./json-patch.ts";

/**
 * The PATCH for one advertisement: the generic diff plus the two rules of the advertisement doc.
 *
 * 1. A new postcode: "the most reliable way to change the postcode is … remove the cityName,
 *    followed by updating the postcode. The system will then automatically add the correct
 *    cityName". We send only a postcode, so the city the server derived from it is not in our
 *    payload: `assumeDerivedCity` adds its removal. (When we diff against the server's own
 *    document, after a 409, the city is there or not and the generic diff is exact.)
 * 2. Enrichment fields ("populated asynchronously") are never removed: a removal would wipe
 *    the data Marktplaats added from the licence plate.
 */
export const planPatch = (
  base: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
  options: { readonly assumeDerivedCity: boolean },
): ReadonlyArray<JsonPatchOperation> => {
  const operations = diffJsonPatch(base, next).filter(
    (operation) => !(operation.op === "remove" && isEnrichmentField(operation.path.slice(1))),
  );
  const postcodeChange = operations.find(
    (operation) =>
      operation.path === "/location/postcode" &&
      (operation.op === "replace" || operation.op === "add"),
  );
  if (postcodeChange === undefined) return operations;
  const nextLocation = isJsonObject(next.location) ? next.location : {};
  if (nextLocation.cityName !== undefined) return operations;
  const baseLocation = isJsonObject(base.location) ? base.location : {};
  const hadCity = baseLocation.cityName !== undefined;
  if (!hadCity && !options.assumeDerivedCity) return operations;
  // The city's removal goes first, then the rest in order ("first remove the cityName").
  const removeCity: JsonPatchOperation = { op: "remove", path: "/location/cityName" };
  return [removeCity, ...operations.filter((operation) => operation.path !== removeCity.path)];
};

/**
 * The server's advertisement seen through our payload's shape: the fields we sent or mean to
 * send, with the server's values, and `location.cityName` where the server holds one. Fields
 * only the server knows (enrichment, `itemId`, dates) stay out, so a diff never touches them.
 */
export const projectOnto = (
  server: Readonly<Record<string, unknown>>,
  base: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
): Record<string, unknown> => {
  const projected: Record<string, unknown> = {};
  const ours = new Set([...Object.keys(base), ...Object.keys(next)]);
  for (const key of ours) {
    const value = server[key];
    if (value === undefined || readOnlyFields.some((field) => field === key)) continue;
    const shape = isJsonObject(next[key])
      ? next[key]
      : isJsonObject(base[key])
        ? base[key]
        : undefined;
    if (shape !== undefined && isJsonObject(value)) {
      const keys = new Set([
        ...Object.keys(isJsonObject(base[key]) ? base[key] : {}),
        ...Object.keys(shape),
        ...(key === "location" ? locationKeys(value, shape) : []),
      ]);
      projected[key] = Object.fromEntries(
        [...keys].flatMap((inner) => (value[inner] === undefined ? [] : [[inner, value[inner]]])),
      );
    } else projected[key] = value;
  }
  return projected;
};

/** The server's city matters only when the postcode is about to change (rule 1 above). */
const locationKeys = (
  server: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
): ReadonlyArray<string> =>
  server.postcode !== next.postcode ? ["postcode", "cityName"] : ["postcode"];
