import type { ErrorNode, ErrorTree } from "../../pro-import/validation/errors.ts";

/**
 * Tradera names a nested field by its dotted path: "category_fields.powertrain.fuels" (the
 * guide's "Validation Error (400)"). An item of a list is named by its index,
 * "price[0].currency"; the guide shows no list item errors, so that form is the fake's choice.
 */
export function dottedErrors(tree: ErrorTree): Record<string, ReadonlyArray<string>> {
  const flat: Record<string, ReadonlyArray<string>> = {};
  for (const [field, node] of Object.entries(tree)) flatten(field, node, flat);
  return flat;
}

function flatten(path: string, node: ErrorNode, flat: Record<string, ReadonlyArray<string>>): void {
  if (isMessageList(node)) {
    flat[path] = node;
    return;
  }
  if (isTreeList(node)) {
    node.forEach((item, index) => {
      for (const [field, nested] of Object.entries(item)) {
        flatten(`${path}[${index}].${field}`, nested, flat);
      }
    });
    return;
  }
  for (const [field, nested] of Object.entries(node)) flatten(`${path}.${field}`, nested, flat);
}

function isMessageList(node: ErrorNode): node is ReadonlyArray<string> {
  return Array.isArray(node) && node.every((item) => typeof item === "string");
}

function isTreeList(node: ErrorNode): node is ReadonlyArray<ErrorTree> {
  return Array.isArray(node);
}
