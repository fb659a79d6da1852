import { Either, ParseResult, Schema } from "effect";
import { plainCopy } from "./json.ts";

/**
 * The one vocabulary for what is wrong with an ad, whatever marketplace said it.
 */
export const IssueCode = Schema.Literal(
  "required",
  "too_long",
  "too_short",
  "too_many",
  "invalid_value",
  "out_of_range",
  "not_allowed",
  "unknown_field",
  "conflict",
  "not_found",
  "unauthorized",
  "forbidden",
  "unsupported",
  "remote_error",
);
export type IssueCode = typeof IssueCode.Type;

/**
 * A problem with an ad, or a warning about it.
 *
 * `path` is the canonical field the dealer can fix (`vehicle.make`, `images.3`, or "" for the
 * ad as a whole); `marketplacePath` is the marketplace's own name for it
 * (`category_fields.brand`), kept so nothing the marketplace said is lost.
 */
export const Issue = Schema.Struct({
  path: Schema.String,
  code: IssueCode,
  message: Schema.String,
  marketplace: Schema.optional(Schema.String),
  marketplacePath: Schema.optional(Schema.String),
});
export type Issue = typeof Issue.Type;

export const issue = (
  path: string,
  code: IssueCode,
  message: string,
  where?: { readonly marketplace?: string; readonly marketplacePath?: string },
): Issue => ({
  path,
  code,
  message,
  ...(where?.marketplace === undefined ? {} : { marketplace: where.marketplace }),
  ...(where?.marketplacePath === undefined ? {} : { marketplacePath: where.marketplacePath }),
});

const codeOfParseIssue = (tag: ParseResult.ParseIssue["_tag"]): IssueCode => {
  switch (tag) {
    case "Missing":
      return "required";
    case "Unexpected":
      return "unknown_field";
    case "Type":
    case "Refinement":
    case "Transformation":
    case "Pointer":
    case "Composite":
    case "Forbidden":
      return "invalid_value";
  }
};

/** Turns a schema decoding failure into issues with dotted canonical paths. */
export const issuesFromParseError = (error: ParseResult.ParseError): ReadonlyArray<Issue> => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((entry) =>
    issue(entry.path.map(String).join("."), codeOfParseIssue(entry._tag), entry.message),
  );
  // An optional field is `X | undefined`: a bad value fails both members, and "Expected
  // undefined" would tell the dealer to delete the field. Keep only the real reason.
  const isUndefinedAlternative = (entry: Issue) =>
    entry.message.startsWith("Expected undefined, actual");
  return issues.filter(
    (entry) =>
      !isUndefinedAlternative(entry) ||
      !issues.some(
        (other) =>
          other !== entry &&
          !isUndefinedAlternative(other) &&
          (other.path === entry.path || other.path.startsWith(`${entry.path}.`)),
      ),
  );
};

/**
 * Decodes unknown input with a schema, answering issues instead of throwing. Every ad, option
 * and override from a DMS is decoded here, so this is where untrusted input becomes a plain
 * copy first (`plainCopy`): hostile shapes answer an issue, never a defect.
 */
export const decodeOrIssues =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (input: unknown): Either.Either<A, ReadonlyArray<Issue>> =>
    Either.flatMap(
      Either.mapLeft(plainCopy(input), (reason) => [
        issue("", "invalid_value", `The input is not plain JSON: ${reason}.`),
      ]),
      (plain) =>
        Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(
          plain,
        ).pipe(Either.mapLeft(issuesFromParseError)),
    );
