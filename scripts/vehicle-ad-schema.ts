// Writes packages/core/vehicle-ad.schema.json: the JSON Schema of the canonical ad, generated
// from the `VehicleAd` Schema, for DMSs written in other languages. Run after changing the
// model (`npx -y pnpm@10.34.8 --filter @adsync/core generate:schema`); a core test fails while
// the committed file differs from what the Schema generates.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { JSONSchema } from "effect";
import { VehicleAd } from "../packages/core/src/index.ts";

const target = fileURLToPath(new URL("../packages/core/vehicle-ad.schema.json", import.meta.url));
writeFileSync(target, `${JSON.stringify(JSONSchema.make(VehicleAd), null, 2)}\n`);
console.log(`wrote ${target}`);
