import {
  type AdsyncError,
  errorOfResponse,
  type HttpResponse,
  type Issue,
  type IssueCode,
  invalidResponseError,
  issue,
  issueCodeOfReason,
  reasonOfStatus,
} from "@adsync/core";
import { Either, Schema } from "effect";
import { attributeTable } from "./mapping/attribute-table.ts";
import { optionFields } from "./mapping/fields.ts";
import { WireError, type WireFieldError } from "./wire.ts";

/**
 * Marktplaats' error bodies: the doc's field errors turned into issues on canonical paths
 * (section "Errors" and "Field errors" of the advertisement doc).
 */

/** Field-error codes → the canonical vocabulary. */
export const fieldErrorCodes: Readonly<Record<string, IssueCode>> = {
  "missing-required-field": "required",
  "input-too-long": "too_long",
  "input-too-short": "too_short",
  "input-invalid": "invalid_value",
  "input-not-numeric": "invalid_value",
  "field-value-out-of-range": "out_of_range",
  "too-many-field-values": "too_many",
  "unknown-field": "unknown_field",
  "field-not-editable": "not_allowed",
  "input-not-allowed": "not_allowed",
  // categoryId only: "Not allowed to change or place ad in category" / "… change the category".
  "ad-change-or-placement-not-allowed": "not_allowed",
  "category-change-not-allowed": "not_allowed",
};

/** Error codes of the whole request → canonical code (the doc's "Errors"). */
const requestErrorCodes: Readonly<Record<string, IssueCode>> = {
  // These three mean adsync sent something wrong, not the dealer: "remote_error".
  "invalid-item-id": "remote_error",
  "invalid-json": "remote_error",
  "incorrect-content-type": "remote_error",
  "advertisement-not-found": "not_found",
  "conflicting-state": "conflict",
  "internal-server-error": "remote_error",
};

/** Marktplaats field names → the canonical field the dealer can fix. */
const fieldPaths: Readonly<Record<string, string>> = {
  title: "title",
  description: "description",
  categoryId: "vehicle.make",
  priceModel: "price.list",
  "priceModel.askingPrice": "price.list",
  "priceModel.modelType": "price",
  licensePlate: "vehicle.registrationNumber",
  "seller.sellerName": "contact.name",
  "seller.phoneNumber": "contact.phone",
  location: "location",
  "location.postcode": "location.postalCode",
  "location.cityName": "location.city",
  url: "url",
  videoUrl: "video",
};

/** The canonical path of a Marktplaats field (attribute keys via the attribute table). */
export const canonicalPath = (site: string, field: string | undefined): string => {
  if (field === undefined || field === "") return "";
  const normalized = field.replace(/^\//, "").replace(/\//g, ".");
  const known = fieldPaths[normalized];
  if (known !== undefined) return known;
  const row = attributeTable.find((entry) =>
    entry.keys.some((key) => key.toLowerCase() === normalized.toLowerCase()),
  );
  if (row !== undefined) return row.path;
  const options = `marketplaces.${site}`;
  return normalized.startsWith("seller.") || optionFields.includes(normalized)
    ? `${options}.${normalized}`
    : `${options}.attributes.${normalized}`;
};

const fieldIssue = (site: string, error: WireFieldError): Issue => {
  const code = fieldErrorCodes[error.code ?? ""] ?? "invalid_value";
  const value = error.value === undefined ? "" : ` (${JSON.stringify(error.value)})`;
  return issue(
    canonicalPath(site, error.field),
    code,
    `${error.message ?? error.code ?? "invalid"}${value}`,
    { marketplace: site, ...(error.field === undefined ? {} : { marketplacePath: error.field }) },
  );
};

/** The issues an error body carries; one issue for the request as a whole when no field has one. */
export const issuesFromBody = (
  site: string,
  status: number,
  body: unknown,
): ReadonlyArray<Issue> => {
  const decoded = Schema.decodeUnknownEither(WireError)(body);
  const error = Either.isRight(decoded) ? decoded.right : {};
  const fields = [...(error.fieldErrors ?? []), ...(error.errors ?? [])];
  if (fields.length > 0) return fields.map((entry) => fieldIssue(site, entry));
  const code = error.code === undefined ? undefined : requestErrorCodes[error.code];
  const text = typeof body === "string" && body !== "" ? body : undefined;
  return [
    issue(
      "",
      code ?? issueCodeOfReason(reasonOfStatus(status)),
      error.message ?? error.code ?? text ?? `HTTP ${status}`,
      { marketplace: site, ...(error.code === undefined ? {} : { marketplacePath: error.code }) },
    ),
  ];
};

/**
 * The one place a Marktplaats answer that is not a success becomes an `AdsyncError`: core's
 * status table, with the issues this body carries.
 */
export const errorFromResponse = (
  site: string,
  operation: string,
  response: HttpResponse,
): AdsyncError =>
  errorOfResponse(site, operation, response, {
    issues: issuesFromBody(site, response.status, response.body),
  });

export const invalidResponse = (site: string, operation: string, detail: string) =>
  invalidResponseError(site, operation, detail);
