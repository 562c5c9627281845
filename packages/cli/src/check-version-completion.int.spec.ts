import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { NotFoundError } from "@certplane/domain";
import { parse as parseYaml } from "yaml";
import { runAgainst, runCertctl } from "./testing/cli-harness.ts";

describe("certctl check api", () => {
  it("says the API is ready when the server answers", async () => {
    const fake = new FakeCertplaneApi({ get: async () => ({ items: [] }) });
    const run = await runAgainst(fake, ["check", "api"]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^The certplane API at grpc:\/\/127\.0\.0\.1:\d+ is ready\n$/);
    assert.deepEqual(fake.callsTo("get"), [{ kind: "Namespace" }]);
  });

  it("fails with the reason when nothing listens, after retrying until --wait has passed", async () => {
    const once = await runCertctl(["check", "api", "--server=grpc://127.0.0.1:1"]);
    assert.equal(once.code, 1);
    assert.match(
      once.stderr,
      /^error: cannot reach the certplane API at 127\.0\.0\.1:1: is the control plane running\?/,
    );
    assert.doesNotMatch(once.stderr, /Not ready/);

    const waited = await runCertctl(["check", "api", "--wait=2s", "--server=grpc://127.0.0.1:1"], {
      pollIntervalMs: 1_000,
    });
    assert.equal(waited.code, 1);
    const lines = waited.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 3, waited.stderr);
    assert.match(lines[0] ?? "", /^Not ready: cannot reach the certplane API at 127\.0\.0\.1:1/);
    assert.match(lines[2] ?? "", /^error: cannot reach/);
  });

  it("is ready on a later try once the server answers", async () => {
    let tries = 0;
    const fake = new FakeCertplaneApi({
      get: async () => {
        tries += 1;
        if (tries < 3) throw new NotFoundError("read models are still loading");
        return { items: [] };
      },
    });
    const run = await runAgainst(fake, ["check", "api", "--wait=1m"], { pollIntervalMs: 5_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "Not ready: read models are still loading\n".repeat(2));
    assert.match(run.stdout, /is ready\n$/);
  });

  it("refuses an unknown check and a --wait without a duration", async () => {
    const unknown = await runCertctl(["check", "webhook"]);
    assert.equal(
      unknown.stderr,
      'error: unknown check "webhook"; usage: certctl check api [--wait=DURATION]\n',
    );
    const bare = await runCertctl(["check", "api", "--wait"]);
    assert.equal(bare.code, 1);
    assert.equal(bare.stderr, "error: --wait needs a duration, e.g. --wait=2m\n");
  });
});

describe("certctl version", () => {
  const packageVersion = async () =>
    (JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
      .version;

  it("prints the client version from package.json and says the server's is unknown", async () => {
    const version = await packageVersion();
    const run = await runCertctl(["version"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      `Client Version: v${version}\nServer Version: unknown (the certplane API does not report its version)\n`,
    );
    const client = await runCertctl(["version", "--client"]);
    assert.equal(client.stdout, `Client Version: v${version}\n`);
  });

  it("prints json and yaml with kubectl's clientVersion key", async () => {
    const version = await packageVersion();
    const json = await runCertctl(["version", "-o", "json"]);
    assert.deepEqual(JSON.parse(json.stdout), { clientVersion: { gitVersion: `v${version}` } });
    const yaml = await runCertctl(["version", "-o", "yaml", "--client"]);
    assert.deepEqual(parseYaml(yaml.stdout), { clientVersion: { gitVersion: `v${version}` } });
    const wide = await runCertctl(["version", "-o", "wide"]);
    assert.equal(wide.code, 1);
    assert.equal(wide.stderr, 'error: unknown output format "wide" for -o; accepted: json, yaml\n');
  });
});

describe("certctl completion", () => {
  /** Sources the script in bash and completes `words`, the last one being the word under the cursor. */
  function complete(script: string, words: readonly string[]): string[] {
    const result = spawnSync(
      "bash",
      [
        "-c",
        `eval "$SCRIPT"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _certctl; printf "%s\\n" "\${COMPREPLY[@]}"`,
        "certctl-completion",
        ...words,
      ],
      { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", SCRIPT: script }, encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stderr);
    return result.stdout.split("\n").filter((line) => line !== "");
  }

  it("writes a bash script that bash accepts and that completes commands, types and flags", async () => {
    const run = await runCertctl(["completion", "bash"]);
    assert.equal(run.code, 0, run.stderr);
    const syntax = spawnSync("bash", ["-n"], { input: run.stdout, encoding: "utf8" });
    assert.equal(syntax.status, 0, syntax.stderr);

    assert.deepEqual(complete(run.stdout, ["certctl", "st"]), ["status"]);
    assert.deepEqual(complete(run.stdout, ["certctl", "get", "cert"]), [
      "certificates",
      "certificaterequests",
    ]);
    assert.deepEqual(complete(run.stdout, ["certctl", "-n", "demo-apps", "status", ""]), ["certificate"]);
    assert.deepEqual(complete(run.stdout, ["certctl", "get", "certs", "--wa"]), ["--watch"]);
    assert.deepEqual(complete(run.stdout, ["certctl", "completion", ""]), ["bash", "zsh"]);
    assert.deepEqual(complete(run.stdout, ["certctl", "check", ""]), ["api"]);
    // Flags come from the flag table: a flag another command takes is not offered.
    assert.deepEqual(complete(run.stdout, ["certctl", "status", "--fol"]), []);
    assert.deepEqual(complete(run.stdout, ["certctl", "history", "cert", "x", "--fol"]), ["--follow"]);
  });

  it("writes a zsh script through bashcompinit, and refuses another shell", async () => {
    const zsh = await runCertctl(["completion", "zsh"]);
    assert.equal(zsh.code, 0);
    assert.match(zsh.stdout, /^#compdef certctl\nautoload -U \+X bashcompinit && bashcompinit\n/);
    assert.match(zsh.stdout, /^complete -F _certctl certctl$/m);
    const fish = await runCertctl(["completion", "fish"]);
    assert.equal(fish.code, 1);
    assert.equal(
      fish.stderr,
      'error: unsupported shell "fish"; accepted: bash, zsh; usage: certctl completion bash|zsh\n',
    );
  });
});
