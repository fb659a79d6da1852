import { errorTree } from "../../pro-import/validation/errors.ts";
import {
  checkChoice,
  checkField,
  checkInteger,
  checkListOfObjects,
} from "../../pro-import/validation/fields.ts";

// The V4 guide's "Price types"; "call - Call for price (amount: 0)".
const PRICE_TYPES = ["list", "reduced", "monthly", "call"];
const CURRENCIES = ["SEK"];

/** price: a non-empty array of {type, amount, currency?}; errors per item, as DRF lists them. */
export const checkPrice = checkListOfObjects((item) => {
  // A "call" price has no amount to state; any other type needs one.
  const amountRequired = item.type !== "call";
  return errorTree([
    ["type", checkField(item.type, true, checkChoice(PRICE_TYPES))],
    ["amount", checkField(item.amount, amountRequired, checkInteger({ min: 0 }))],
    ["currency", checkField(item.currency, false, checkChoice(CURRENCIES))],
  ]);
});
