import {
  type AdsyncError,
  errorOfResponse,
  type HttpResponse,
  type Issue,
  type IssueCode,
  issue,
} from "@adsync/core";
import { canonicalPath } from "./paths.ts";

/**
 * Turns a Pro Import error body into issues. Three shapes reach us:
 * - nested field errors, Blocket: `{"category_fields": {"brand": ["This field is required."]}}`;
 * - dotted field errors, Tradera: `{"category_fields.brand": ["This field is required."]}`;
 * - plain strings, Tradera's business errors: `"Cannot update ad that has been deleted."`,
 *   and `{"detail": "Not found."}` on both.
 */
export const issuesFromBody = (marketplace: string, body: unknown): ReadonlyArray<Issue> => {
  const issues: Array<Issue> = [];
  const visit = (value: unknown, path: string): void => {
    if (typeof value === "string") {
      issues.push(toIssue(marketplace, path, value));
    } else if (Array.isArray(value)) {
      value.forEach((entry, index) => {
        visit(entry, typeof entry === "string" ? path : joinPath(path, String(index)));
      });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, entry] of Object.entries(value)) {
        visit(entry, key === "detail" || key === "non_field_errors" ? path : joinPath(path, key));
      }
    }
  };
  visit(body, "");
  return issues;
};

const joinPath = (parent: string, key: string) => (parent === "" ? key : `${parent}.${key}`);

const toIssue = (marketplace: string, wirePath: string, message: string): Issue =>
  issue(canonicalPath(marketplace, wirePath), codeOfMessage(message), message, {
    marketplace,
    ...(wirePath === "" ? {} : { marketplacePath: wirePath }),
  });

/** The canonical code for a Django REST framework style message (the API's own wording). */
export const codeOfMessage = (message: string): IssueCode => {
  const text = message.toLowerCase();
  // DRF's type errors ("A valid integer is required.", "Not a valid string.") name a value
  // that was sent but is wrong, not a missing one.
  if (/a valid [a-z ]+ is required|not a valid/.test(text)) return "invalid_value";
  // "Ensure this field has no more than 20 elements." is a list over its size limit.
  if (text.includes("elements")) return "too_many";
  if (
    text.includes("required") ||
    text.includes("may not be null") ||
    text.includes("may not be blank")
  )
    return "required";
  if (text.includes("no more than") || text.includes("too long") || text.includes("max"))
    return "too_long";
  if (text.includes("at least") || text.includes("too short")) return "too_short";
  if (text.includes("already exists")) return "conflict";
  if (text.includes("not found")) return "not_found";
  if (text.includes("permission") || text.includes("do not have access")) return "forbidden";
  if (text.includes("credentials") || text.includes("token")) return "unauthorized";
  if (text.includes("cannot") || text.includes("not available") || text.includes("blocked"))
    return "not_allowed";
  return "invalid_value";
};

/**
 * The one place a Pro Import answer that is not a success becomes an `AdsyncError`: core's
 * status table, with the issues this body carries.
 */
export const errorFromResponse = (
  marketplace: string,
  operation: string,
  response: HttpResponse,
): AdsyncError =>
  errorOfResponse(marketplace, operation, response, {
    issues: issuesFromBody(marketplace, response.body),
  });
