import { type ErrorNode, messages } from "../../pro-import/validation/errors.ts";
import {
  type Check,
  checkChoice,
  checkChoices,
  checkFields,
  checkInteger,
  checkString,
  checkText,
  type FieldRules,
  isRecord,
  nested,
  optional,
  required,
} from "../../pro-import/validation/fields.ts";
import {
  BODY_STYLES,
  BRANDS,
  COLORS,
  EQUIPMENTS,
  FUELS,
  MODELS_BY_BRAND,
  TRANSMISSIONS,
} from "../reference-data.ts";
import { invalidChoice } from "./messages.ts";

const FIRST_MODEL_YEAR = 1900;
// "warranty - Warranty info (max 500 chars)", and the same for the three other dealer terms.
const DEALER_TERMS_MAX_LENGTH = 500;

const choiceOf = (choices: ReadonlyArray<string>): Check => checkChoice(choices, invalidChoice);
const choicesOf = (choices: ReadonlyArray<string>, allowEmpty: boolean): Check =>
  checkChoices(choices, { allowEmpty, invalidChoice });

/**
 * category_fields of a car (1020) or transport vehicle (1021): "Required fields within
 * category_fields" and the optional ones, with brand, model (of that brand), body_type, color,
 * transmission, fuels and equipments taken from the "Vehicle Reference Data" lists. The guide
 * lists the fields "for Cars" only; transport vehicles get the same. Fields it does not list are
 * kept as sent.
 */
export function checkCategoryFields(value: unknown): ErrorNode | undefined {
  if (!isRecord(value)) return [messages.notDictionary(value)];
  const models = typeof value.brand === "string" ? MODELS_BY_BRAND.get(value.brand) : undefined;
  const dealerTerm = optional(checkText(DEALER_TERMS_MAX_LENGTH));
  const rules: FieldRules = {
    model_year: required(
      checkInteger({ min: FIRST_MODEL_YEAR, max: new Date().getUTCFullYear() + 1 }),
    ),
    body_type: required(choiceOf(BODY_STYLES)),
    brand: required(choiceOf(BRANDS)),
    // A model can only be checked against a known brand's models.
    model: required(models === undefined ? checkString : choiceOf(models)),
    model_type: optional(checkString),
    registration_number: optional(checkString),
    color: required(choiceOf(COLORS)),
    powertrain: nested({
      transmission: required(choiceOf(TRANSMISSIONS)),
      fuels: required(choicesOf(FUELS, false)),
    }),
    condition: nested({
      // "condition.mileage.unit - "km" or "mil" (Swedish mile = 10km)"
      mileage: nested({
        unit: required(choiceOf(["km", "mil"])),
        value: required(checkInteger({ min: 0 })),
      }),
    }),
    // "equipments - Array of equipment (can be empty)"
    equipments: required(choicesOf(EQUIPMENTS, true)),
    warranty: dealerTerm,
    service_history: dealerTerm,
    home_delivery: dealerTerm,
    return_policy: dealerTerm,
  };
  return checkFields(value, rules);
}
