import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The README block a DMS developer copies: the line before its fence names it. */
const marker = "<!-- readme-snippet: promise-api -->";

/**
 * The Promise-API snippet of the README, exactly as written (plain JavaScript that is also
 * valid TypeScript, so one source serves the workspace run under tsx and the packaged run
 * under plain node).
 */
export const readmeSnippet = (root: string): string => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const [, after] = readme.split(marker);
  const block = after?.match(/^\s*```js\n([\s\S]*?)\n```/);
  if (block?.[1] === undefined) throw new Error(`README.md has no \`\`\`js block after ${marker}`);
  return `${block[1]}\n`;
};

/**
 * Lays the snippet out in `directory` as a reader would run it from the root of a clone:
 * `readme.mjs` beside `docs/examples/01-car.json` (copied from the repository).
 */
export const layOutSnippet = (root: string, directory: string): string => {
  const examples = join(directory, "docs/examples");
  mkdirSync(examples, { recursive: true });
  copyFileSync(join(root, "docs/examples/01-car.json"), join(examples, "01-car.json"));
  const script = join(directory, "readme.mjs");
  writeFileSync(script, readmeSnippet(root));
  return script;
};

/** What the snippet prints when it works: accepted, live, then removed on Blocket. */
export const expectedSnippetOutput = [
  "[ 'blocket: accepted' ]",
  "[ 'blocket: live' ]",
  "[ 'blocket: removed' ]",
] as const;
