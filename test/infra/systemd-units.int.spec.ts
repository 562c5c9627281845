// infra/systemd: one template unit for the five services, checked by systemd itself. `verify` runs
// offline (--man=no --generators=no: no running systemd, no man pages in the container) and reports
// unknown keys and bad values only as warnings, so any output at all fails the test.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { access, copyFile, cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { services } from "@certplane/domain";
import { repoRoot } from "../e2e/support/service-process.ts";

const run = promisify(execFile);
const unitsDir = join(repoRoot, "infra/systemd");
const instances = services.map((service) => `certplane@${service}.service`);

async function systemdAnalyze(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run("systemd-analyze", [...args], { cwd });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as NodeJS.ErrnoException & { code: unknown; stdout?: string; stderr?: string };
    if (failed.code === "ENOENT") throw new Error("systemd-analyze is missing: apt-get install systemd");
    return { code: Number(failed.code), output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("the systemd units in infra/systemd", () => {
  let dir: string;
  let template: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "certplane-systemd-"));
    for (const file of ["certplane@.service", "certplane.target"])
      await copyFile(join(unitsDir, file), join(dir, file));
    // An instance of a template is verified through a file of the instance's name.
    for (const instance of instances) await symlink("certplane@.service", join(dir, instance));
    template = await readFile(join(unitsDir, "certplane@.service"), "utf8");
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("systemd-analyze verify accepts every instance and the target without a warning", async () => {
    const result = await systemdAnalyze(
      ["verify", "--man=no", "--generators=no", ...instances.map((i) => `./${i}`), "./certplane.target"],
      dir,
    );
    assert.deepEqual(result, { code: 0, output: "" });
  });

  test("the nats-server drop-in verifies on top of Debian's nats-server.service", async () => {
    // The package's unit (apt-get install nats-server), with the drop-in beside it as systemd finds it.
    await copyFile("/lib/systemd/system/nats-server.service", join(dir, "nats-server.service"));
    await cp(join(unitsDir, "nats-server.service.d"), join(dir, "nats-server.service.d"), {
      recursive: true,
    });
    const result = await systemdAnalyze(
      ["verify", "--man=no", "--generators=no", "./nats-server.service"],
      dir,
    );
    assert.deepEqual(result, { code: 0, output: "" });
  });

  test("systemd rates the hardening's exposure as low (at most 2.0 of 10)", async () => {
    // --threshold is in tenths of the exposure level it prints (0–100 for 0.0–10.0).
    const result = await systemdAnalyze(
      ["security", "--offline=true", "--threshold=20", "./certplane@signer.service"],
      dir,
    );
    const level = /Overall exposure level for \S+: ([\d.]+)/.exec(result.output)?.[1];
    assert.equal(result.code, 0, result.output);
    console.log(`exposure level ${level}`);
  });

  test("each service runs as a dynamic user with its secrets as credentials, not in its environment", () => {
    for (const line of [
      "DynamicUser=yes",
      "ProtectSystem=strict",
      "NoNewPrivileges=yes",
      "StateDirectory=certplane-%i",
      "LoadCredential=kek:/etc/certplane/kek",
      "LoadCredential=nats-password:/etc/certplane/nats/%i.password",
      "Environment=CERTPLANE_NATS_USER=%i",
      "Environment=CERTPLANE_NATS_PASSWORD_FILE=%d/nats-password",
      "Environment=CERTPLANE_KEK_FILE=%d/kek",
    ]) {
      assert.ok(template.split("\n").includes(line), line);
    }
    assert.doesNotMatch(template, /^Environment=CERTPLANE_(KEK|NATS_PASSWORD)=/m);
  });

  test("the target starts all five, and each instance's entry point exists", async () => {
    const target = await readFile(join(unitsDir, "certplane.target"), "utf8");
    for (const service of services) {
      assert.match(target, new RegExp(`certplane@${service}\\.service`));
      await access(join(repoRoot, "services", service, "src/main.ts"));
    }
  });
});
