#!/usr/bin/env node
// The executable npm links as `node_modules/.bin/adsync` (package.json `bin`). It runs the
// command line unconditionally: through a bin link `process.argv[1]` names the link, not this
// file, so a "was I run directly?" check on the module's own name cannot be used here.
import { main } from "./bin.ts";
import { nodeIo } from "./context.ts";

process.exitCode = await main(process.argv.slice(2), nodeIo);
