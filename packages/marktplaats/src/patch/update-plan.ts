import { type Issue, issue, jsonEqual } from "@adsync/core";
import { advertisementFields, patchableFields } from "../mapping/fields.ts";
import type { WireAttribute } from "../wire.ts";

/**
 * How one update is sent. The advertisement doc: "We currently support the operations
 * replace, add, copy, move and remove for the following fields: title, description,
 * priceModel, all optional fields (attributes)". Any other field (seller, location,
 * licensePlate, url, categoryId, stickerText, …) changes only through `PUT`: "If you use PUT,
 * the body is the same as for the POST call. You need to provide the full advertisement."
 */

export interface UpdatePlan {
  /** "none" when nothing the marketplace would accept changed. */
  readonly method: "PATCH" | "PUT" | "none";
  /**
   * The advertisement the marketplace holds once the update is applied: the new one, except
   * the parts it refuses to change, which keep the value it holds (so a refused part never
   * makes later updates fail).
   */
  readonly advertisement: Readonly<Record<string, unknown>>;
  /** One per refused part (`not_allowed`), on the path `pathOf` gives its key. */
  readonly warnings: ReadonlyArray<Issue>;
  /** Whether `categoryId` changes (the doc's move rules apply; checked by the caller). */
  readonly categoryMove: boolean;
}

interface UpdatePlanOptions {
  readonly site: string;
  /** The attributes of the category the advertisement is in now (undefined: not known). */
  readonly attributes: ReadonlyArray<WireAttribute> | undefined;
  /**
   * Send a changed `location` in a PATCH (the doc's postcode example) rather than a PUT
   * (`location` is "updateable: false" and not in the PATCH list). Default false.
   */
  readonly patchLocation: boolean;
  /** The canonical (or per-ad override) path of an advertisement key, for warnings. */
  readonly pathOf: (key: string) => string;
}

export const planUpdate = (
  base: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
  options: UpdatePlanOptions,
): UpdatePlan => {
  const advertisement: Record<string, unknown> = { ...next };
  const warnings: Array<Issue> = [];
  for (const attribute of options.attributes ?? []) {
    const key = attribute.key;
    if (attribute.updateable || jsonEqual(base[key], next[key])) continue;
    // "updateable: false": the value placed with the ad stays; so does our record of it.
    if (base[key] === undefined) delete advertisement[key];
    else advertisement[key] = base[key];
    warnings.push(
      issue(
        options.pathOf(key),
        "not_allowed",
        `Marktplaats does not let "${attribute.label ?? key}" change after placement (updateable: false); it keeps ${JSON.stringify(base[key] ?? null)}.`,
        { marketplace: options.site, marketplacePath: key },
      ),
    );
  }
  const keys = new Set([...Object.keys(base), ...Object.keys(advertisement)]);
  const changed = [...keys].filter((key) => !jsonEqual(base[key], advertisement[key]));
  const patchable = (key: string) =>
    patchableFields.includes(key) ||
    (key === "location" && options.patchLocation) ||
    !advertisementFields.has(key);
  return {
    method: changed.length === 0 ? "none" : changed.every(patchable) ? "PATCH" : "PUT",
    advertisement,
    warnings,
    categoryMove: changed.includes("categoryId"),
  };
};
