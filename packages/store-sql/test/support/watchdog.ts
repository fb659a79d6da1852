import { spawn } from "node:child_process";

/*
 * The guard against a PostgreSQL outliving its test run. A run that ends normally stops the
 * server in globalSetup's teardown; a run that is interrupted (Ctrl-C, a CI timeout, SIGKILL)
 * may never reach it, and the server — a process of its own, under another user when run as
 * root — would keep running. So a small detached Node process watches the run's process: when
 * it is gone, the watchdog shuts the server down (SIGQUIT: immediate shutdown) and removes its
 * directory. It exits by itself once the server is gone.
 */
const watchdogScript = `
const { readFileSync, rmSync } = require("node:fs");
const { join } = require("node:path");
const [watched, directory, data] = process.argv.slice(1);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (error) { return error.code === "EPERM"; } };
const serverPid = () => { try { return Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\\n")[0]); } catch { return undefined; } };
let seen = false;
const tick = () => {
  const server = serverPid();
  if (server !== undefined && alive(server)) seen = true;
  else if (seen || !alive(Number(watched))) {
    rmSync(directory, { recursive: true, force: true });
    process.exit(0);
  }
  if (!alive(Number(watched))) {
    if (server !== undefined && alive(server)) process.kill(server, "SIGQUIT");
  }
};
setInterval(tick, 500);
`;

/**
 * Starts the watchdog of the server whose data directory is `data`, for this process; it removes
 * `directory` (holding `data`) at the end. Returns at once.
 */
export const watchServer = (directory: string, data: string) => {
  const child = spawn(
    process.execPath,
    ["-e", watchdogScript, String(process.pid), directory, data],
    {
      detached: true,
      stdio: "ignore",
    },
  );
  child.unref();
};
