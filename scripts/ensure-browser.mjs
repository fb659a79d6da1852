// The operator console's browser test (packages/console/test/browser.test.ts) drives a real
// Chromium. `pnpm test` runs this first so that the README's test command works on a fresh
// machine: where no Chromium is found and we may install system packages (root with apt-get, as
// on CI and the project's machines), Debian's `chromium` is installed; elsewhere it says what to
// do and fails, rather than letting the browser test fail later with less context.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.ADSYNC_CHROMIUM ?? "/usr/bin/chromium";
if (existsSync(path)) process.exit(0);

const hasAptGet = spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status === 0;
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!hasAptGet || !isRoot || process.env.ADSYNC_CHROMIUM !== undefined) {
  process.stderr.write(
    `No Chromium at ${path}: the console's browser test needs one. Install Debian's chromium ` +
      "(apt-get install -y chromium) or point ADSYNC_CHROMIUM at a Chromium binary.\n",
  );
  process.exit(1);
}
process.stderr.write("Chromium is missing: installing Debian's chromium for the browser test…\n");
const apt = (...args) =>
  execFileSync("apt-get", args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
apt("update");
apt("install", "-y", "--no-install-recommends", "chromium");
