/**
 * Django REST framework style validation errors: a field maps to a list of messages, to the
 * errors of a nested object, or (for a list of objects such as price) to one error object per
 * item. The messages are DRF's own wording where DRF has one; both Pro Import APIs use it
 * (Tradera's guide: "This field is required."), Tradera with its keys flattened.
 */
export type ErrorNode = ReadonlyArray<string> | ErrorTree | ReadonlyArray<ErrorTree>;

export interface ErrorTree {
  readonly [field: string]: ErrorNode;
}

export const messages = {
  required: "This field is required.",
  notNull: "This field may not be null.",
  blank: "This field may not be blank.",
  notString: "Not a valid string.",
  notInteger: "A valid integer is required.",
  notNumber: "A valid number is required.",
  notBoolean: "Must be a valid boolean.",
  emptyList: "This list may not be empty.",
  tooLong: (maximum: number) => `Ensure this field has no more than ${maximum} characters.`,
  invalidUrl: "Enter a valid URL.",
  invalidEmail: "Enter a valid email address.",
  atLeast: (minimum: number) => `Ensure this value is greater than or equal to ${minimum}.`,
  atMost: (maximum: number) => `Ensure this value is less than or equal to ${maximum}.`,
  invalidChoice: (value: unknown) => `"${String(value)}" is not a valid choice.`,
  /** django-filter's wording for a query filter */
  invalidFilterChoice: (value: string) =>
    `Select a valid choice. ${value} is not one of the available choices.`,
  invalidDateTime: "Enter a valid date/time.",
  notDictionary: (value: unknown) =>
    `Expected a dictionary of items but got type "${pythonTypeName(value)}".`,
  notList: (value: unknown) => `Expected a list of items but got type "${pythonTypeName(value)}".`,
  notObjectData: (value: unknown) =>
    `Invalid data. Expected a dictionary, but got ${pythonTypeName(value)}.`,
} as const;

/** The Python type name DRF puts in its type errors. */
function pythonTypeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return "dict";
}

/** The tree of the fields that have errors; undefined when none has. */
export function errorTree(
  entries: ReadonlyArray<readonly [string, ErrorNode | undefined]>,
): ErrorTree | undefined {
  const tree: Record<string, ErrorNode> = {};
  for (const [field, error] of entries) {
    if (error !== undefined) tree[field] = error;
  }
  return Object.keys(tree).length > 0 ? tree : undefined;
}

export function mergeErrorTrees(
  ...trees: ReadonlyArray<ErrorTree | undefined>
): ErrorTree | undefined {
  const merged: Record<string, ErrorNode> = {};
  for (const tree of trees) Object.assign(merged, tree);
  return Object.keys(merged).length > 0 ? merged : undefined;
}
