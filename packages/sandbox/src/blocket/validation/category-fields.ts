import { type ErrorNode, errorTree, messages } from "../../pro-import/validation/errors.ts";
import {
  checkBoolean,
  checkChoice,
  checkChoices,
  checkField,
  checkInteger,
  checkString,
  isRecord,
} from "../../pro-import/validation/fields.ts";
import { isMotorised } from "../categories.ts";
import { BODY_TYPES, FUELS } from "../reference-data.ts";

const FIRST_MODEL_YEAR = 1900;

/**
 * category_fields of a registered-vehicle ad. brand, model, model_year and body_type are always
 * required; engine-driven vehicles (all but trailer 1045 and caravan 1101) also need mileage,
 * transmission and fuels, as in the V4 guide's examples and "Condition"/"Powertrain" fields.
 * Brand and model are not checked against the reference lists: the fake's lists are a sample.
 * Fields the fake does not know (physics, equipment, ...) are accepted as sent.
 */
export function checkRegisteredCategoryFields(
  categoryId: number,
): (value: unknown) => ErrorNode | undefined {
  const motorised = isMotorised(categoryId);
  return (value) => {
    if (!isRecord(value)) return [messages.notDictionary(value)];
    const latestModelYear = new Date().getUTCFullYear() + 1;
    return errorTree([
      ["brand", checkField(value.brand, true, checkString)],
      ["model", checkField(value.model, true, checkString)],
      [
        "model_year",
        checkField(
          value.model_year,
          true,
          checkInteger({ min: FIRST_MODEL_YEAR, max: latestModelYear }),
        ),
      ],
      ["body_type", checkField(value.body_type, true, checkChoice(BODY_TYPES))],
      ["registration_number", checkField(value.registration_number, false, checkString)],
      ["condition", checkField(value.condition, motorised, checkCondition(motorised))],
      ["powertrain", checkField(value.powertrain, motorised, checkPowertrain(motorised))],
    ]);
  };
}

function checkCondition(motorised: boolean): (value: unknown) => ErrorNode | undefined {
  return (value) => {
    if (!isRecord(value)) return [messages.notDictionary(value)];
    return errorTree([
      ["mileage", checkField(value.mileage, motorised, checkMeasure(["km", "mil"]))],
      ["is_new_vehicle", checkField(value.is_new_vehicle, false, checkBoolean)],
    ]);
  };
}

function checkPowertrain(motorised: boolean): (value: unknown) => ErrorNode | undefined {
  return (value) => {
    if (!isRecord(value)) return [messages.notDictionary(value)];
    return errorTree([
      [
        "transmission",
        checkField(value.transmission, motorised, checkChoice(["manual", "automatic"])),
      ],
      ["fuels", checkField(value.fuels, motorised, checkChoices(FUELS, { allowEmpty: false }))],
      ["power", checkField(value.power, false, checkMeasure(["hp", "kw"]))],
    ]);
  };
}

/** {unit, value}: mileage in km or Swedish mil, power in hp or kw; value a whole number >= 0. */
function checkMeasure(units: ReadonlyArray<string>): (value: unknown) => ErrorNode | undefined {
  return (value) => {
    if (!isRecord(value)) return [messages.notDictionary(value)];
    return errorTree([
      ["unit", checkField(value.unit, true, checkChoice(units))],
      ["value", checkField(value.value, true, checkInteger({ min: 0 }))],
    ]);
  };
}
