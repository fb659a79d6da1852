import { readFileSync } from "node:fs";
import type { RecordedRequest } from "@adsync/sandbox";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";

/**
 * The official Allegro OpenAPI file (vendored in `fixtures/`, source and date in its README), read
 * once: every request body the adapter sends is validated against the request schema of its
 * endpoint, with `$ref`s resolved from the YAML.
 */
const specPath = new URL("./fixtures/allegro-openapi-2021-07-16.yaml", import.meta.url);
const spec: unknown = parse(readFileSync(specPath, "utf8"));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const record = (value: unknown, key: string): Record<string, unknown> => {
  const entry = isRecord(value) ? value[key] : undefined;
  return isRecord(entry) ? entry : {};
};

// OpenAPI 3.0 keywords (example, discriminator, nullable, …) are not JSON Schema: strict off;
// `nullable` is understood by Ajv itself.
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
// Allegro uses formats JSON Schema does not define; they are descriptions, not checks.
for (const format of [
  "ISO 4217",
  "ISO 8601",
  "ISO 6801",
  "int32",
  "int64",
  "binary",
  "float",
  "double",
])
  ajv.addFormat(format, true);
ajv.addSchema({ components: record(spec, "components") }, "allegro.yaml");

const paths = record(spec, "paths");
const templates = Object.keys(paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

const rewriteRefs = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [
      key,
      key === "$ref" && typeof entry === "string" ? `allegro.yaml${entry}` : rewriteRefs(entry),
    ]),
  );
};

const compiled = new Map<string, ValidateFunction>();

/** The JSON schema of a request body, by method and concrete path. */
const validatorFor = (method: string, path: string): ValidateFunction | undefined => {
  const found = templates.find((entry) => entry.pattern.test(path));
  if (found === undefined) return undefined;
  const key = `${method} ${found.template}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  let requestBody = record(record(paths[found.template], method.toLowerCase()), "requestBody");
  const reference = requestBody.$ref;
  if (typeof reference === "string")
    requestBody = record(
      record(record(spec, "components"), "requestBodies"),
      reference.split("/").pop() ?? "",
    );
  // The 2021 copy lists /sale/product-offers under its beta media types (v3 the newer one);
  // Allegro serves it as `application/vnd.allegro.public.v1+json` today, with the same schema.
  const content = record(requestBody, "content");
  const media = [
    "application/vnd.allegro.public.v1+json",
    "application/vnd.allegro.beta.v3+json",
  ].reduce(
    (found, type) => (isRecord(found.schema) ? found : record(content, type)),
    {} as Record<string, unknown>,
  );
  const schema = rewriteRefs(media.schema);
  if (!isRecord(schema)) return undefined;
  const validate = ajv.compile(schema);
  compiled.set(key, validate);
  return validate;
};

/** Problems of one recorded request against the spec; [] when its body conforms. */
export const specProblems = (request: RecordedRequest): ReadonlyArray<string> => {
  if (request.body === undefined) return [];
  const validate = validatorFor(request.method, request.path);
  if (validate === undefined)
    return [`${request.method} ${request.path}: no request schema in the spec`];
  if (validate(request.body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${request.method} ${request.path} ${error.instancePath} ${error.message ?? ""}`,
  );
};
