import { AdsyncError, type Issue, type VehicleAd } from "@adsync/core";
import { Either } from "effect";
import type { Site } from "../config.ts";
import { canonicalPath } from "../errors.ts";
import { adOptions } from "./to-marktplaats.ts";

/**
 * Where a Marktplaats field of one ad is fixed: the ad's own override when it set one (its
 * `marketplaces.<site>.categoryId`, `.seller.<field>` or `.attributes.<key>`), else the
 * canonical field (`canonicalPath`). A refused category the dealer chose points at that
 * choice, not at `vehicle.make`.
 */
export const pathResolver =
  (ad: VehicleAd, site: Site) =>
  (field: string): string => {
    const decoded = adOptions(ad, site);
    const normalized = field.replace(/^\//, "").replace(/\//g, ".");
    if (Either.isRight(decoded)) {
      const options = decoded.right;
      const root = `marketplaces.${site}`;
      if (normalized === "categoryId" && options.categoryId !== undefined)
        return `${root}.categoryId`;
      const [head, sub] = normalized.split(".");
      if (head === "seller" && sub !== undefined && options.seller !== undefined) {
        if (Object.hasOwn(options.seller, sub)) return `${root}.seller.${sub}`;
      }
      if (options.attributes !== undefined && Object.hasOwn(options.attributes, normalized))
        return `${root}.attributes.${normalized}`;
    }
    return canonicalPath(site, normalized);
  };

/** The error with every issue that names a Marktplaats field pointed at `pathResolver`'s path. */
export const pointAtOverrides =
  (ad: VehicleAd, site: Site) =>
  (error: AdsyncError): AdsyncError => {
    const resolve = pathResolver(ad, site);
    const issues = error.issues.map(
      (entry): Issue =>
        // Request-level issues (no field) carry the error code as marketplacePath, path "".
        entry.marketplacePath === undefined || entry.marketplace !== site || entry.path === ""
          ? entry
          : { ...entry, path: resolve(entry.marketplacePath) },
    );
    if (issues.every((entry, index) => entry === error.issues[index])) return error;
    return new AdsyncError({
      reason: error.reason,
      message: error.message,
      marketplace: error.marketplace,
      operation: error.operation,
      status: error.status,
      retryAfterSeconds: error.retryAfterSeconds,
      issues,
    });
  };
