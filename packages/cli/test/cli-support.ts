/**
 * Helpers for the CLI tests: a capturing `Io` around `main`, config files and ad files in a
 * temporary directory, and the `adsync sandbox` command as a child process.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { RecordedRequest, Sandbox } from "@adsync/sandbox";
import { BLOCKET_SANDBOX_TOKEN, TRADERA_SANDBOX_TOKEN } from "@adsync/sandbox";
import { main } from "../src/cli.ts";

/** The repository root: the CLI's child process runs from here. */
export const root = fileURLToPath(new URL("../../../", import.meta.url));

/** A sample ad of docs/examples. */
export const example = (file: string): string => join(root, "docs/examples", file);

/** What one `adsync …` run printed and answered. */
export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `adsync <argv>` in-process with `environment` as its only environment. */
export const adsync = async (
  argv: ReadonlyArray<string>,
  environment: NodeJS.ProcessEnv = {},
): Promise<Run> => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    environment,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
};

/** The `--json` output of a run. */
export const jsonOf = (run: Run): unknown => JSON.parse(run.out);

const temporaryDirectories: string[] = [];

/** A new directory under the system's temporary one, removed by `removeTemporaryDirectories`. */
export const temporaryDirectory = (): string => {
  const directory = mkdtempSync(join(tmpdir(), "adsync-cli-test-"));
  temporaryDirectories.push(directory);
  return directory;
};

export const removeTemporaryDirectories = (): void => {
  for (const directory of temporaryDirectories.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
};

export interface ConfigOptions {
  readonly store?: "sqlite" | "memory";
  readonly blocketToken?: string;
  readonly traderaToken?: string;
  /** the directory to write into; a new temporary one otherwise */
  readonly directory?: string;
}

/** Writes an adsync.config.json pointing both marketplaces at `sandbox`; answers its path. */
export const writeConfig = (sandbox: Sandbox, options: ConfigOptions = {}): string => {
  const directory = options.directory ?? temporaryDirectory();
  const store =
    (options.store ?? "sqlite") === "sqlite"
      ? { type: "sqlite", path: "state/adsync.db" }
      : { type: "memory" };
  const file = join(directory, "adsync.config.json");
  writeJson(file, {
    store,
    marketplaces: {
      blocket: {
        baseUrl: sandbox.urls.blocket,
        token: options.blocketToken ?? BLOCKET_SANDBOX_TOKEN,
        tokenScope: "dealer_group",
        dealerCode: "DEALER1",
        apiVersion: "v4",
      },
      tradera: {
        baseUrl: sandbox.urls.tradera,
        token: options.traderaToken ?? TRADERA_SANDBOX_TOKEN,
        dealerCode: "DEALER1",
      },
    },
  });
  return file;
};

export const writeJson = (file: string, value: unknown): string => {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
};

let adFiles = 0;

/**
 * A copy of a sample ad under a new id, so that every test publishes its own ad to the shared
 * sandbox. Answers the file and the id.
 */
export const adFile = (
  sample: string,
  id: string,
): { readonly file: string; readonly id: string } => {
  const parsed: unknown = JSON.parse(readFileSync(example(sample), "utf8"));
  const ad = typeof parsed === "object" && parsed !== null ? parsed : {};
  const directory = join(temporaryDirectory(), `ad-${++adFiles}`);
  mkdirSync(directory);
  const file = writeJson(join(directory, `${id}.json`), { ...ad, id });
  return { file, id };
};

const writeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** `METHOD path` of every request, to compare lists of requests at a glance. */
export const calls = (requests: ReadonlyArray<RecordedRequest>): string[] =>
  requests.map((request) => `${request.method} ${request.path}`);

/** The requests that change something at the marketplace. */
export const writes = (requests: ReadonlyArray<RecordedRequest>): string[] =>
  calls(requests.filter((request) => writeMethods.has(request.method)));

/** A running `adsync sandbox` child process and the first line it printed. */
export interface SandboxProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly firstLine: string;
  /** Every line printed on stdout so far, the first included. */
  readonly lines: () => ReadonlyArray<string>;
  /** The first stdout line (printed so far or later) that `matches`; rejects after `withinMs`. */
  readonly waitForLine: (matches: (line: string) => boolean, withinMs: number) => Promise<string>;
  readonly stderr: () => string;
  /** sends a signal and answers the exit code, or "timeout" when it did not exit in time */
  readonly stop: (signal: NodeJS.Signals, withinMs: number) => Promise<number | string>;
}

/** Starts `node --import tsx packages/cli/src/bin.ts <args>` from the repository root. */
export const spawnAdsync = async (
  args: ReadonlyArray<string>,
  // tsx compiling the CLI on a loaded 2-core machine has taken more than 20 s.
  startupMs = 180_000,
): Promise<SandboxProcess> => {
  const child = spawn(process.execPath, ["--import", "tsx", "packages/cli/src/bin.ts", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? `signal ${signal}`));
  });
  const lines = createInterface({ input: child.stdout });
  // Every line from the start: one chunk may carry several lines at once.
  const printed: Array<string> = [];
  lines.on("line", (line) => printed.push(line));
  const waitForLine = (matches: (line: string) => boolean, withinMs: number) =>
    new Promise<string>((resolve, reject) => {
      const found = printed.find(matches);
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => {
        lines.off("line", listener);
        reject(new Error(`no matching line within ${withinMs} ms; stderr: ${stderr}`));
      }, withinMs);
      const listener = (line: string) => {
        if (!matches(line)) return;
        clearTimeout(timer);
        lines.off("line", listener);
        resolve(line);
      };
      lines.on("line", listener);
    });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no output within ${startupMs} ms; stderr: ${stderr}`));
    }, startupMs);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before printing; stderr: ${stderr}`));
    });
  });
  const stop = async (signal: NodeJS.Signals, withinMs: number) => {
    if (child.exitCode !== null) return child.exitCode;
    child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("timeout"), withinMs);
    });
    const result = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (result === "timeout") child.kill("SIGKILL");
    return result;
  };
  return { child, firstLine, lines: () => [...printed], waitForLine, stderr: () => stderr, stop };
};

/**
 * Runs `adsync <args>` as its own process (as a user's shell would) from the repository root and
 * answers when it exits. The budget only guards against a hung process: on a loaded 2-core
 * machine one run (tsx start-up included) can take tens of seconds.
 */
export const runAdsyncProcess = (args: ReadonlyArray<string>, budgetMs = 240_000): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "packages/cli/src/bin.ts", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(`adsync ${args.join(" ")} still running after ${budgetMs} ms; stderr: ${err}`),
      );
    }, budgetMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal === null ? -1 : 128),
        out: out.trimEnd(),
        err: err.trimEnd(),
      });
    });
  });
