/**
 * RFC 6902 as the Marktplaats fake applies it to a stored advertisement. Independent of the
 * adapter's implementation on purpose: the fake is the oracle the adapter is tested against.
 * Errors say whether the target was missing, which Marktplaats answers with 409
 * `conflicting-state` ("when trying to replace a field which does not exists").
 */
export type PatchOutcome =
  | { readonly ok: true; readonly document: unknown }
  | { readonly ok: false; readonly reason: "conflict" | "malformed"; readonly message: string };

interface Failure {
  readonly ok: false;
  readonly reason: "conflict" | "malformed";
  readonly message: string;
}
type Result<A> = { readonly ok: true; readonly value: A } | Failure;

const success = <A>(value: A): Result<A> => ({ ok: true, value });
const conflict = (message: string): Failure => ({ ok: false, reason: "conflict", message });
const malformed = (message: string): Failure => ({ ok: false, reason: "malformed", message });

type Container = Record<string, unknown> | Array<unknown>;
interface Root {
  value: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const tokensOf = (pointer: unknown): Result<ReadonlyArray<string>> => {
  if (typeof pointer !== "string" || (pointer !== "" && !pointer.startsWith("/"))) {
    return malformed(`bad pointer ${JSON.stringify(pointer)}`);
  }
  return success(
    pointer === ""
      ? []
      : pointer
          .slice(1)
          .split("/")
          .map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~")),
  );
};

const indexOf = (token: string, length: number, allowEnd: boolean): Result<number> => {
  if (allowEnd && token === "-") return success(length);
  if (!/^(0|[1-9]\d*)$/.test(token)) return conflict(`bad index "${token}"`);
  const index = Number(token);
  return index > length || (!allowEnd && index === length)
    ? conflict(`index ${index} out of bounds`)
    : success(index);
};

const sortKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortKeys)
    : isObject(value)
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, sortKeys(value[key])]),
        )
      : value;
const equal = (left: unknown, right: unknown): boolean =>
  JSON.stringify(sortKeys(left)) === JSON.stringify(sortKeys(right));

function resolve(root: Root, tokens: ReadonlyArray<string>): Result<unknown> {
  let current = root.value;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = indexOf(token, current.length, false);
      if (!index.ok) return index;
      current = current[index.value];
    } else if (isObject(current) && Object.hasOwn(current, token)) current = current[token];
    else return conflict(`no value at "${token}"`);
  }
  return success(current);
}

function parentOf(root: Root, tokens: ReadonlyArray<string>): Result<Container> {
  const parent = resolve(root, tokens.slice(0, -1));
  if (!parent.ok) return parent;
  const value = parent.value;
  return Array.isArray(value) || isObject(value)
    ? success(value)
    : conflict("the parent is not a container");
}

function add(root: Root, tokens: ReadonlyArray<string>, value: unknown): Result<void> {
  const last = tokens.at(-1);
  if (last === undefined) {
    root.value = value;
    return success(undefined);
  }
  const parent = parentOf(root, tokens);
  if (!parent.ok) return parent;
  const container = parent.value;
  if (Array.isArray(container)) {
    const index = indexOf(last, container.length, true);
    if (!index.ok) return index;
    container.splice(index.value, 0, value);
  } else {
    Object.defineProperty(container, last, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return success(undefined);
}

function remove(root: Root, tokens: ReadonlyArray<string>): Result<void> {
  const last = tokens.at(-1);
  if (last === undefined) return conflict("cannot remove the document");
  const parent = parentOf(root, tokens);
  if (!parent.ok) return parent;
  const container = parent.value;
  if (Array.isArray(container)) {
    const index = indexOf(last, container.length, false);
    if (!index.ok) return index;
    container.splice(index.value, 1);
    return success(undefined);
  }
  if (!Object.hasOwn(container, last)) return conflict(`no field "${last}" to remove`);
  delete container[last];
  return success(undefined);
}

function member(operation: Record<string, unknown>, name: string): Result<unknown> {
  return Object.hasOwn(operation, name) ? success(operation[name]) : malformed(`missing "${name}"`);
}

function applyOperation(root: Root, operation: unknown): Result<void> {
  if (!isObject(operation)) return malformed("an operation is an object");
  const path = tokensOf(operation.path);
  if (!path.ok) return path;
  const tokens = path.value;
  const value = member(operation, "value");
  switch (operation.op) {
    case "add":
      return value.ok ? add(root, tokens, structuredClone(value.value)) : value;
    case "remove":
      return remove(root, tokens);
    case "replace": {
      if (!value.ok) return value;
      const existing = resolve(root, tokens);
      if (!existing.ok) return existing;
      if (tokens.length === 0) {
        root.value = structuredClone(value.value);
        return success(undefined);
      }
      const removed = remove(root, tokens);
      return removed.ok ? add(root, tokens, structuredClone(value.value)) : removed;
    }
    case "copy":
    case "move": {
      const from = tokensOf(operation.from);
      if (!from.ok) return from;
      const source = resolve(root, from.value);
      if (!source.ok) return source;
      const copy = structuredClone(source.value);
      if (operation.op === "move") {
        const inside =
          tokens.length > from.value.length &&
          from.value.every((token, index) => tokens[index] === token);
        if (inside) return malformed("cannot move a value into itself");
        const removed = remove(root, from.value);
        if (!removed.ok) return removed;
      }
      return add(root, tokens, copy);
    }
    case "test": {
      if (!value.ok) return value;
      const actual = resolve(root, tokens);
      if (!actual.ok) return actual;
      return equal(actual.value, value.value) ? success(undefined) : conflict("test failed");
    }
    default:
      return malformed(`unknown op ${JSON.stringify(operation.op)}`);
  }
}

/** Applies `patch` to a deep copy of `document`; all operations or none. */
export function applyPatch(document: unknown, patch: unknown): PatchOutcome {
  if (!Array.isArray(patch)) return malformed("a patch is an array");
  const root: Root = { value: structuredClone(document) };
  for (const operation of patch) {
    const step = applyOperation(root, operation);
    if (!step.ok) return step;
  }
  return { ok: true, document: root.value };
}
