// `pnpm build`: writes the page's script to dist/web/app.js, the file the built console serves.
import { mkdirSync, writeFileSync } from "node:fs";
import { bundleScript } from "../src/assets.ts";

mkdirSync("dist/web", { recursive: true });
writeFileSync("dist/web/app.js", await bundleScript());
