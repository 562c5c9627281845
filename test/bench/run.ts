// Runs every *.bench.ts in this folder one after another (they share two cores, so never at once).
// Each bench prints JSON lines on stdout (one figure each, with its raw baseline and the ratio) and
// progress on stderr.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
  .sort();

let failed = 0;
for (const bench of benches) {
  process.stderr.write(`\n# ${bench}\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", join(here, bench)], { stdio: "inherit" });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`# ${bench} failed with exit code ${result.status}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
