import {
  type AdsyncError,
  type ErrorBody,
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
import { ALLEGRO } from "./config.ts";
import { normalizeName } from "./mapping/text.ts";
import { AuthError, type ErrorEntry, ErrorsHolder } from "./wire.ts";

/**
 * Where an Allegro error's `path` points in the canonical ad (architecture §10). Parameters
 * are resolved through the category's parameters, by id or by name: `parameterPaths`.
 */
const offerPaths: ReadonlyArray<readonly [RegExp, string]> = [
  [/^name$/, "title"],
  // Allegro shows one price, the reduced one when there is one: the parent path is never wrong.
  [/^sellingMode\.price/, "price"],
  [/^location\.city/, "location.city"],
  [/^location\.postCode/, "location.postalCode"],
  [/^location\.province/, "marketplaces.allegro.province"],
  [/^location\.countryCode/, "location.country"],
  [/^images\[(\d+)\]/, "images.$1"],
  [/^images/, "images"],
  [/^description/, "description"],
  [/^category/, "vehicle.model"],
  [/^contact/, "contact"],
  [/^external/, "id"],
];

/** The key under which `ParameterPaths` names the dealer's category override, when there is one. */
export const dealerCategoryKey = "@category";

/** Parameter id or normalized parameter name → canonical path. */
export type ParameterPaths = ReadonlyMap<string, string>;

const canonicalPath = (wirePath: string, parameterPaths: ParameterPaths): string => {
  const parameter = /^parameters(?:\[(?:id=)?'?([^\]']+)'?\]|\.(\w+))?/.exec(wirePath);
  if (parameter !== null) {
    const key = parameter[1] ?? parameter[2];
    return (key === undefined ? undefined : parameterPaths.get(key)) ?? "vehicle";
  }
  // The dealer chose the category (`marketplaces.allegro.categoryId`): that is what to fix.
  const chosen = parameterPaths.get(dealerCategoryKey);
  if (chosen !== undefined && /^category/.test(wirePath)) return chosen;
  for (const [pattern, path] of offerPaths) {
    const match = pattern.exec(wirePath);
    if (match !== null) return match[1] === undefined ? path : path.replace("$1", match[1]);
  }
  return "";
};

/** The canonical code for an Allegro message: its wording is the only hint. */
export const codeOfMessage = (message: string): IssueCode => {
  const text = message.toLowerCase();
  if (/may not be empty|missing|is required|are required|must not be null|required/.test(text))
    return "required";
  if (/too long|exceed|at most|maximum|cannot have more/.test(text)) return "too_long";
  if (/too short|at least|minimum/.test(text)) return "too_short";
  if (/out of range|between|greater|less than/.test(text)) return "out_of_range";
  if (/not allowed|forbidden|cannot be changed|only until/.test(text)) return "not_allowed";
  return "invalid_value";
};

const missingParameters = /^Missing required parameters?:\s*(.+?)\.?$/i;

/**
 * Allegro's `errors[]` / `validation.errors[]` entries as issues. "Missing required
 * parameters: Stan, Rok produkcji, …" (the draft sample in section 6, with `path: ""`) is
 * split into one issue per parameter, each on the canonical field that fills it.
 */
export const issuesFromErrors = (
  entries: ReadonlyArray<ErrorEntry>,
  parameterPaths: ParameterPaths = new Map(),
): ReadonlyArray<Issue> =>
  entries.flatMap((entry) => {
    const message = entry.userMessage ?? entry.message ?? entry.code ?? "Allegro refused the offer";
    const wirePath = entry.path ?? "";
    const missing = missingParameters.exec(entry.message ?? entry.userMessage ?? "");
    if (missing?.[1] !== undefined) {
      return missing[1].split(/,\s*/).map((name) =>
        issue(
          parameterPaths.get(normalizeName(name.replace(/\[.*\]/, ""))) ?? "vehicle",
          "required",
          `${name.trim()} is required in this Allegro category`,
          {
            marketplace: ALLEGRO,
            marketplacePath: "parameters",
          },
        ),
      );
    }
    return [
      issue(canonicalPath(wirePath, parameterPaths), codeOfMessage(message), message, {
        marketplace: ALLEGRO,
        ...(wirePath === "" ? {} : { marketplacePath: wirePath }),
      }),
    ];
  });

/**
 * What an Allegro error body says (core's error-body hook): `ErrorsHolder` bodies (400, 422,
 * 403, 404) carry issues; 401 carries `AuthError`; a body we cannot read keeps the status.
 */
export const allegroErrorBody = (
  response: HttpResponse,
  parameterPaths?: ParameterPaths,
  fallbackPath = "",
): ErrorBody => {
  const holder = Schema.decodeUnknownEither(ErrorsHolder)(response.body);
  const auth = Schema.decodeUnknownEither(AuthError)(response.body);
  const entries = Either.isRight(holder) ? (holder.right.errors ?? []) : [];
  const fromBody = issuesFromErrors(entries, parameterPaths).map((entry) =>
    entry.path === "" && fallbackPath !== "" ? { ...entry, path: fallbackPath } : entry,
  );
  const detail = Either.isRight(auth)
    ? (auth.right.error_description ?? auth.right.error)
    : (fromBody[0]?.message ?? `answered ${response.status}`);
  const code = issueCodeOfReason(reasonOfStatus(response.status));
  return {
    detail,
    issues:
      fromBody.length > 0
        ? fromBody
        : [issue(fallbackPath, code, detail, { marketplace: ALLEGRO })],
  };
};

/** The one mapper of an Allegro failure answer to `AdsyncError`: core's table, Allegro's body. */
export const errorFromResponse = (
  operation: string,
  response: HttpResponse,
  parameterPaths?: ParameterPaths,
  fallbackPath = "",
): AdsyncError =>
  errorOfResponse(
    ALLEGRO,
    operation,
    response,
    allegroErrorBody(response, parameterPaths, fallbackPath),
  );

/** An answer whose body does not have the documented shape. */
export const invalidResponse = (operation: string, detail: string) =>
  invalidResponseError(ALLEGRO, operation, detail);
