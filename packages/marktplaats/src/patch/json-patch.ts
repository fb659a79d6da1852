import { jsonEqual } from "@adsync/core";
import { Either } from "effect";

/**
 * RFC 6902 JSON Patch: the format of Marktplaats' `PATCH /v1/advertisements/{itemId}`
 * ("The body of the request should be a document according to the JSON Patch RFC").
 * `applyJsonPatch` implements all six operations and is checked against the
 * json-patch-tests suite; `diffJsonPatch` writes only `add`, `remove` and `replace`, since
 * Marktplaats answers "The ``test`` operation will not be supported for the time being".
 */

export type JsonPatchOperation =
  | { readonly op: "add"; readonly path: string; readonly value: unknown }
  | { readonly op: "remove"; readonly path: string }
  | { readonly op: "replace"; readonly path: string; readonly value: unknown }
  | { readonly op: "move"; readonly from: string; readonly path: string }
  | { readonly op: "copy"; readonly from: string; readonly path: string }
  | { readonly op: "test"; readonly path: string; readonly value: unknown };

/** Why a patch could not be applied; `index` is the operation that failed. */
interface JsonPatchError {
  readonly _tag: "JsonPatchError";
  readonly index: number;
  readonly message: string;
  /** The target of the operation does not exist (Marktplaats answers 409 conflicting-state). */
  readonly missingTarget: boolean;
}

type JsonObject = { [key: string]: unknown };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keys whose value is not `undefined`: what JSON.stringify would write. */
const definedKeys = (value: JsonObject): ReadonlyArray<string> =>
  Object.keys(value).filter((key) => value[key] !== undefined);

/** RFC 6901: "~1" is "/", "~0" is "~" (decoded in that order). */
const escapePointerToken = (token: string): string =>
  token.replace(/~/g, "~0").replace(/\//g, "~1");

const pointerOf = (tokens: ReadonlyArray<string>): string =>
  tokens.map((token) => `/${escapePointerToken(token)}`).join("");

const parsePointer = (pointer: string): ReadonlyArray<string> | undefined => {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  return pointer
    .slice(1)
    .split("/")
    .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~"));
};

/**
 * The fewest `add`/`remove`/`replace` operations that turn `from` into `to`, touching nothing
 * that did not change: objects are compared key by key (so a field the server added to a
 * sub-object, such as `location.cityName`, is never replaced by accident); any other change is
 * one `replace` of the value, arrays included (one operation is never more than per-element
 * edits). Removals come before additions in each object.
 */
export const diffJsonPatch = (from: unknown, to: unknown): ReadonlyArray<JsonPatchOperation> => {
  const operations: Array<JsonPatchOperation> = [];
  const visit = (left: unknown, right: unknown, tokens: ReadonlyArray<string>): void => {
    if (jsonEqual(left, right)) return;
    if (isJsonObject(left) && isJsonObject(right)) {
      for (const key of definedKeys(left)) {
        const path = [...tokens, key];
        const next = ownMember(right, key);
        if (next === undefined) operations.push({ op: "remove", path: pointerOf(path) });
        else visit(left[key], next, path);
      }
      for (const key of definedKeys(right)) {
        if (ownMember(left, key) === undefined) {
          operations.push({ op: "add", path: pointerOf([...tokens, key]), value: right[key] });
        }
      }
      return;
    }
    operations.push({ op: "replace", path: pointerOf(tokens), value: right });
  };
  visit(from, to, []);
  return operations;
};

/** A JSON document held by reference so operations can replace the root. */
interface Holder {
  root: unknown;
}

type Step = Either.Either<void, Omit<JsonPatchError, "_tag" | "index">>;

const fail = (message: string, missingTarget = false): Step =>
  Either.left({ message, missingTarget });
const done: Step = Either.right(undefined);

const cloneJson = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const [key, entry] of Object.entries(value)) setMember(copy, key, cloneJson(entry));
    return copy;
  }
  return value;
};

/** A member of the object itself: `{}["__proto__"]` is Object.prototype, not a member. */
const ownMember = (target: JsonObject, key: string): unknown =>
  Object.hasOwn(target, key) ? target[key] : undefined;

/** Sets a member as data, so a key such as "__proto__" stays an ordinary key. */
const setMember = (target: JsonObject, key: string, value: unknown): void => {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
};

/** An array index token: "0" or digits without a leading zero. */
const arrayIndex = (token: string): number | undefined =>
  /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;

/** The value at the parent of `tokens`, or why there is none. */
const parentOf = (
  holder: Holder,
  tokens: ReadonlyArray<string>,
): Either.Either<unknown, Omit<JsonPatchError, "_tag" | "index">> => {
  let current = holder.root;
  for (const token of tokens.slice(0, -1)) {
    const next = childOf(current, token);
    if (next === undefined)
      return Either.left({ message: `no value at "${token}"`, missingTarget: true });
    current = next.value;
  }
  return Either.right(current);
};

const childOf = (container: unknown, token: string): { readonly value: unknown } | undefined => {
  if (Array.isArray(container)) {
    const index = arrayIndex(token);
    return index !== undefined && index < container.length
      ? { value: container[index] }
      : undefined;
  }
  if (isJsonObject(container) && Object.hasOwn(container, token))
    return { value: container[token] };
  return undefined;
};

const valueAt = (holder: Holder, pointer: string): { readonly value: unknown } | undefined => {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return undefined;
  let current: { readonly value: unknown } | undefined = { value: holder.root };
  for (const token of tokens) {
    current = current === undefined ? undefined : childOf(current.value, token);
  }
  return current;
};

const addAt = (holder: Holder, pointer: string, value: unknown): Step => {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return fail(`"${pointer}" is not a JSON pointer`);
  const last = tokens.at(-1);
  if (last === undefined) {
    holder.root = value;
    return done;
  }
  const parent = parentOf(holder, tokens);
  if (Either.isLeft(parent)) return Either.left(parent.left);
  const container = parent.right;
  if (Array.isArray(container)) {
    const index = last === "-" ? container.length : arrayIndex(last);
    if (index === undefined || index > container.length) {
      return fail(`"${last}" is not an index of an array of ${container.length}`, true);
    }
    container.splice(index, 0, value);
    return done;
  }
  if (isJsonObject(container)) {
    setMember(container, last, value);
    return done;
  }
  return fail(`the parent of "${pointer}" is not a container`, true);
};

const removeAt = (holder: Holder, pointer: string): Step => {
  const tokens = parsePointer(pointer);
  if (tokens === undefined) return fail(`"${pointer}" is not a JSON pointer`);
  const last = tokens.at(-1);
  if (last === undefined) {
    holder.root = undefined;
    return done;
  }
  const parent = parentOf(holder, tokens);
  if (Either.isLeft(parent)) return Either.left(parent.left);
  const container = parent.right;
  if (Array.isArray(container)) {
    const index = arrayIndex(last);
    if (index === undefined || index >= container.length) {
      return fail(`no element "${last}" to remove`, true);
    }
    container.splice(index, 1);
    return done;
  }
  if (isJsonObject(container) && Object.hasOwn(container, last)) {
    delete container[last];
    return done;
  }
  return fail(`no value at "${pointer}" to remove`, true);
};

/** The `value` member, which must be present (it may be null). */
const memberValue = (
  operation: JsonObject,
): Either.Either<unknown, Omit<JsonPatchError, "_tag" | "index">> =>
  Object.hasOwn(operation, "value")
    ? Either.right(operation.value)
    : Either.left({ message: `"${String(operation.op)}" needs a value`, missingTarget: false });

const stringMember = (operation: JsonObject, name: "path" | "from"): string | undefined =>
  typeof operation[name] === "string" ? operation[name] : undefined;

const applyOne = (holder: Holder, operation: unknown): Step => {
  if (!isJsonObject(operation)) return fail("an operation must be an object");
  const path = stringMember(operation, "path");
  if (path === undefined) return fail("an operation needs a string path");
  switch (operation.op) {
    case "add":
      return Either.flatMap(memberValue(operation), (value) =>
        addAt(holder, path, cloneJson(value)),
      );
    case "remove":
      return removeAt(holder, path);
    case "replace":
      return Either.flatMap(memberValue(operation), (value) => {
        if (valueAt(holder, path) === undefined) {
          return fail(`no value at "${path}" to replace`, true);
        }
        return Either.flatMap(removeAt(holder, path), () => addAt(holder, path, cloneJson(value)));
      });
    case "move":
    case "copy": {
      const from = stringMember(operation, "from");
      if (from === undefined) return fail(`"${operation.op}" needs a string from`);
      const source = valueAt(holder, from);
      if (source === undefined) return fail(`no value at "${from}"`, true);
      if (operation.op === "copy") return addAt(holder, path, cloneJson(source.value));
      if (path === from) return done;
      if (path.startsWith(`${from}/`)) return fail(`cannot move "${from}" into itself`);
      return Either.flatMap(removeAt(holder, from), () => addAt(holder, path, source.value));
    }
    case "test":
      return Either.flatMap(memberValue(operation), (value) => {
        const actual = valueAt(holder, path);
        return actual !== undefined && jsonEqual(actual.value, value)
          ? done
          : fail(`test failed at "${path}"`);
      });
    default:
      return fail(`unknown operation ${JSON.stringify(operation.op)}`);
  }
};

/**
 * Applies a patch with RFC 6902 semantics: atomically (the input is never modified, and any
 * failing operation fails the whole patch) and in order.
 */
export const applyJsonPatch = (
  document: unknown,
  patch: unknown,
): Either.Either<unknown, JsonPatchError> => {
  if (!Array.isArray(patch)) {
    return Either.left({
      _tag: "JsonPatchError",
      index: -1,
      message: "a patch must be an array",
      missingTarget: false,
    });
  }
  const holder: Holder = { root: cloneJson(document) };
  for (const [index, operation] of patch.entries()) {
    const step = applyOne(holder, operation);
    if (Either.isLeft(step)) return Either.left({ _tag: "JsonPatchError", index, ...step.left });
  }
  return Either.right(holder.root);
};
