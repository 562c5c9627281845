// The chaos e2e at full size, as a script (`pnpm chaos`): 10,000 Certificates by default
// (CERTPLANE_CHAOS_CERTIFICATES), two instances of every service on the 3-node cluster, a random
// instance SIGKILLed every ~2 s and the events stream's leader once. It reports throughput, the
// longest stall of the Ready count, each kill's recovery time and the checks of the e2e, and exits
// non-zero when a check fails. CERTPLANE_CHAOS_SEED replays a run's faults.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { seededPrng } from "@certplane/testing";
import { certctl, waitReady } from "../e2e/support/certctl.ts";
import {
  applyLeaves,
  CHAOS_NAMESPACE,
  chainManifest,
  chaosSeed,
  checkAfterChaos,
  readyLeaves,
  startFaults,
} from "../e2e/support/chaos.ts";
import { startClusterPlane } from "../e2e/support/cluster-plane.ts";

const certificates = Number(process.env.CERTPLANE_CHAOS_CERTIFICATES || 10_000);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const seed = chaosSeed();
  log(`chaos: ${certificates} Certificates, seed ${seed} (replay with CERTPLANE_CHAOS_SEED=${seed})`);
  const random = seededPrng(seed);
  const dir = await mkdtemp(join(tmpdir(), "certplane-chaos-run-"));
  log("starting 3 nats-servers and 2 instances of each of the 5 services …");
  const plane = await startClusterPlane({ instancesPerService: 2, partitions: 8 });
  try {
    await writeFile(join(dir, "chain.yaml"), chainManifest());
    const server = plane.grpcServers[0] as string;
    if ((await certctl(server, "apply", "-f", join(dir, "chain.yaml"))).code !== 0)
      throw new Error("chain not applied");
    if ((await waitReady(server, "chaos-root", CHAOS_NAMESPACE, "300s")).code !== 0)
      throw new Error("CA not Ready");

    const faults = startFaults(plane, random, { log });
    const started = Date.now();
    const { acknowledged, attempts } = await applyLeaves(plane, dir, certificates, log);
    log(
      `${acknowledged.size} Certificates acknowledged in ${attempts} apply runs, ${seconds(Date.now() - started)}`,
    );
    let ready = 0;
    let lastProgress = Date.now();
    let longestStallMs = 0;
    let leaderKilled = false;
    while (ready < acknowledged.size) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const now = await readyLeaves(plane.grpcServers[Math.floor(random() * 2)] as string);
      if (now === undefined) continue;
      if (now > ready) {
        longestStallMs = Math.max(longestStallMs, Date.now() - lastProgress);
        lastProgress = Date.now();
        ready = now;
        log(`${ready}/${acknowledged.size} Ready, ${seconds(Date.now() - started)}`);
      } else if (Date.now() - lastProgress > 10 * 60_000) {
        throw new Error(`no progress for 10 minutes at ${ready} Ready\n${plane.logs()}`);
      }
      if (!leaderKilled && ready >= acknowledged.size / 4) {
        leaderKilled = true;
        await faults.killLeader();
      }
    }
    const elapsedMs = Date.now() - started;
    const records = await faults.stop();
    const report = await checkAfterChaos(plane, acknowledged);
    const recoveries = records.map((r) => r.recoveredMs).filter((ms): ms is number => ms !== undefined);
    log("");
    log("| figure | value |");
    log("|---|---|");
    log(`| Certificates | ${acknowledged.size} |`);
    log(`| apply to all Ready | ${seconds(elapsedMs)} |`);
    log(`| throughput | ${(acknowledged.size / (elapsedMs / 1000)).toFixed(1)} certs/s |`);
    log(`| longest stall of the Ready count | ${seconds(longestStallMs)} |`);
    log(
      `| faults | ${records.length} (${records.filter((r) => r.what.includes("leader")).length} leader kill) |`,
    );
    log(
      `| recovery after a kill (its partitions held again): median / max | ${seconds(median(recoveries))} / ${seconds(Math.max(0, ...recoveries))} |`,
    );
    log(`| events checked | ${report.events} |`);
    for (const [name, list] of Object.entries({
      lost: report.lost,
      "duplicate revisions": report.duplicateRevisions,
      "orphan requests": report.orphanRequests,
      "secrets not verifying": report.unverified,
      "malformed streams": report.malformedStreams,
    })) {
      log(`| ${name} | ${list.length} |`);
    }
    log("");
    for (const r of records)
      log(
        `${seconds(r.at)}  ${r.what}${r.recoveredMs === undefined ? "" : `, recovered in ${seconds(r.recoveredMs)}`}`,
      );
    const problems = [
      ...report.lost,
      ...report.duplicateRevisions,
      ...report.orphanRequests,
      ...report.unverified,
      ...report.malformedStreams,
    ];
    for (const problem of problems.slice(0, 20)) log(`problem: ${problem}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await plane.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos run failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
