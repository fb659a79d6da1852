/**
 * The large scale run of #13: one PostgreSQL, the sandbox with `--dealers` dealers (each its own
 * credentials on every fake), `--workers` `adsync worker` processes, `dealers × ads × 4`
 * publish operations submitted through the worker client; one worker SIGKILLed once
 * `--kill-at` of the operations settled; the others finish; then the "store ≡ sandboxes"
 * check: 0 duplicates, 0 lost, 0 mismatches, every event delivered once. Exit code 1 when the
 * check finds anything (or the run timed out).
 *
 *   npx tsx scripts/scale.ts                                  # 100 dealers × 20 ads × 4, 3 workers
 *   npx tsx scripts/scale.ts --dealers 10 --ads 5 --workers 3 # smaller
 *   npx tsx scripts/scale.ts --no-kill                        # nobody killed
 *   npx tsx scripts/scale.ts --only blocket,allegro           # some marketplaces
 *
 * See docs/scaling.md for what it measured.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { allMarketplaces, describeRun, runScale } from "../bench/scale/harness.ts";

const { values } = parseArgs({
  options: {
    dealers: { type: "string", default: "100" },
    ads: { type: "string", default: "20" },
    workers: { type: "string", default: "3" },
    "kill-at": { type: "string", default: "0.3" },
    "no-kill": { type: "boolean", default: false },
    only: { type: "string" },
    "timeout-minutes": { type: "string", default: "60" },
  },
});

const positive = (name: string, value: string | undefined): number => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new Error(`--${name} takes a positive whole number, not ${value}`);
  return number;
};

const workers = positive("workers", values.workers);
const marketplaces = values.only === undefined ? allMarketplaces : values.only.split(",");
const killAt = values["no-kill"] || workers < 2 ? undefined : Number(values["kill-at"]);

console.log(
  `scale run: ${values.dealers} dealers × ${values.ads} ads × ${marketplaces.join(", ")}, ${workers} workers, ${
    killAt === undefined ? "no kill" : `SIGKILL one at ${killAt * 100}% settled`
  } (${cpus().length} cores, load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(" ")})`,
);
const result = await runScale({
  dealers: positive("dealers", values.dealers),
  ads: positive("ads", values.ads),
  workers,
  marketplaces,
  killAt,
  timeoutMs: positive("timeout-minutes", values["timeout-minutes"]) * 60_000,
});
for (const line of describeRun(result)) console.log(line);
console.log(
  `load average after: ${loadavg()
    .map((load) => load.toFixed(1))
    .join(" ")}`,
);
const { report } = result;
if (report.failed.length > 0) {
  // Failed operations are settled (not lost), but the run must publish every ad: say why.
  const reasons = new Map<string, number>();
  for (const failure of report.failed) {
    const reason = `${failure.marketplace}: ${failure.issues[0] ?? "(no issue)"}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  console.log("failed operations by marketplace and first issue:");
  for (const [reason, count] of [...reasons].sort((left, right) => right[1] - left[1]))
    console.log(`  ${count} × ${reason}`);
}
const clean =
  !result.timedOut &&
  report.failed.length === 0 &&
  report.duplicates.length + report.recreated.length + report.lost.length === 0 &&
  report.mismatches.length + report.orphans.length + report.repeatedEvents.length === 0;
if (!clean) {
  console.log(JSON.stringify({ ...report, failed: report.failed.slice(0, 5) }, null, 2));
  process.exitCode = 1;
}
