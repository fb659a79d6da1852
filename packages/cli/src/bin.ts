#!/usr/bin/env node
// The executable only: `main` lives in cli.ts, so importing this file always runs the command
// line (also through an npm bin link, whatever the link is called).
import { main } from "./cli.ts";
import { nodeIo } from "./context.ts";

main(process.argv.slice(2), nodeIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 2;
  },
);
