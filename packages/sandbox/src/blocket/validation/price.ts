import { type ErrorNode, type ErrorTree, errorTree, messages } from "./errors.ts";
import { checkChoice, checkField, checkInteger, isRecord } from "./fields.ts";

// The V4 guide's "Price types"; "call - Call for price (amount: 0)".
const PRICE_TYPES = ["list", "reduced", "monthly", "call"];
const CURRENCIES = ["SEK"];

/** price: a non-empty array of {type, amount, currency?}; errors per item, as DRF lists them. */
export function checkPrice(value: unknown): ErrorNode | undefined {
  if (!Array.isArray(value)) return [messages.notList(value)];
  if (value.length === 0) return [messages.emptyList];
  const itemErrors = value.map(checkPriceItem);
  if (itemErrors.every((error) => error === undefined)) return undefined;
  return itemErrors.map((error) => error ?? {});
}

function checkPriceItem(item: unknown): ErrorTree | undefined {
  if (!isRecord(item)) return { non_field_errors: [messages.notObjectData(item)] };
  // A "call" price has no amount to state; any other type needs one.
  const amountRequired = item.type !== "call";
  return errorTree([
    ["type", checkField(item.type, true, checkChoice(PRICE_TYPES))],
    ["amount", checkField(item.amount, amountRequired, checkInteger({ min: 0 }))],
    ["currency", checkField(item.currency, false, checkChoice(CURRENCIES))],
  ]);
}
