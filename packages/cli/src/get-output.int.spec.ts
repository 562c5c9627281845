import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GetRequest, ResourceObject } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { runAgainst } from "./testing/cli-harness.ts";
import { certificate, pending, ready } from "./testing/resources.ts";

const items = [
  certificate({ name: "myapp-tls", ready }),
  certificate({ name: "short-lived-cert", namespace: "other", ready: pending }),
];
const fake = new FakeCertplaneApi({
  get: async (request: GetRequest) => ({
    items: request.name === undefined ? items : items.filter((item) => item.metadata.name === request.name),
  }),
});

describe("certctl get -o name and -o jsonpath", () => {
  it("prints kind.group/name per object, as kubectl does", async () => {
    const run = await runAgainst(fake, ["get", "certificates", "-A", "-o", "name"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      "certificate.cert-manager.io/myapp-tls\ncertificate.cert-manager.io/short-lived-cert\n",
    );
  });

  it("evaluates a template against the List, or against the object when one is named", async () => {
    const names = await runAgainst(fake, ["get", "certs", "-A", "-o", "jsonpath={.items[*].metadata.name}"]);
    assert.equal(names.code, 0, names.stderr);
    assert.equal(names.stdout, "myapp-tls short-lived-cert");

    const one = await runAgainst(fake, [
      "get",
      "certificate",
      "myapp-tls",
      "-n",
      "demo-apps",
      "-o",
      `jsonpath={.metadata.name} {.status.conditions[?(@.type=="Ready")].status}`,
    ]);
    assert.equal(one.stdout, "myapp-tls True");

    const ranged = await runAgainst(fake, [
      "get",
      "certs",
      "-A",
      "-o",
      'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\t"}{.spec.secretName}{"\\n"}{end}',
    ]);
    assert.equal(
      ranged.stdout,
      "demo-apps/myapp-tls\tmyapp-tls-secret\nother/short-lived-cert\tshort-lived-cert-secret\n",
    );
  });

  it("prints nothing for a missing key, and refuses a broken template before calling the server", async () => {
    const missing = await runAgainst(fake, ["get", "certs", "-o", "jsonpath={.items[0].status.nothing}"]);
    assert.equal(missing.code, 0);
    assert.equal(missing.stdout, "");

    const calls = fake.calls.length;
    const broken = await runAgainst(fake, ["get", "certs", "-o", "jsonpath={.items[*].metadata.name"]);
    assert.equal(broken.code, 1);
    assert.equal(broken.stderr, "error: error parsing jsonpath {.items[*].metadata.name, unclosed action\n");
    const empty = await runAgainst(fake, ["get", "certs", "-o", "jsonpath"]);
    assert.match(empty.stderr, /^error: template format specified but no template given/);
    const unknown = await runAgainst(fake, ["get", "certs", "-o", "xml"]);
    assert.equal(
      unknown.stderr,
      'error: unknown output format "xml" for -o; accepted: wide, yaml, json, name, jsonpath=TEMPLATE\n',
    );
    assert.equal(fake.calls.length, calls);
  });
});

describe("certctl get --watch", () => {
  /** Serves `lists` in turn, then aborts the watch once the last one has been read. */
  function watched(lists: readonly (readonly ResourceObject[])[]) {
    const stop = new AbortController();
    let read = 0;
    const api = new FakeCertplaneApi({
      get: async () => {
        const list = lists[Math.min(read, lists.length - 1)] ?? [];
        read += 1;
        if (read >= lists.length) stop.abort();
        return { items: list };
      },
    });
    return { api, signal: stop.signal };
  }

  it("prints the table, then one row per added, changed or deleted object until interrupted", async () => {
    const first = certificate({ name: "myapp-tls", ready: pending });
    const added = certificate({ name: "short-lived-cert", ready: pending });
    const { api, signal } = watched([
      [first],
      [first],
      [certificate({ name: "myapp-tls", ready }), added],
      [certificate({ name: "myapp-tls", ready })],
    ]);
    const run = await runAgainst(api, ["get", "certificates", "-n", "demo-apps", "-w"], {
      signal,
      pollIntervalMs: 1_000,
    });
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) =>
        line
          .trim()
          .split(/\s{3,}/)
          .slice(0, 2),
      );
    assert.deepEqual(rows, [
      ["NAME", "READY"],
      ["myapp-tls", "False"],
      ["myapp-tls", "True"],
      ["short-lived-cert", "False"],
      ["short-lived-cert", "False"],
    ]);
    assert.equal(api.callsTo("get").length, 4);
  });

  it("prints each change in the -o format, and refuses --watch with --at", async () => {
    const { api, signal } = watched([[], [certificate({ name: "myapp-tls" })]]);
    const run = await runAgainst(api, ["get", "certs", "--watch", "-o", "name"], { signal });
    assert.equal(run.stdout, "certificate.cert-manager.io/myapp-tls\n");

    const refused = await runAgainst(api, ["get", "certs", "-w", "--at", "1h"]);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      "error: --watch follows changes from now on, so it cannot be combined with --at\n",
    );
  });
});
