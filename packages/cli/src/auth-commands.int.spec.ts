import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { ValidationError } from "@certplane/domain";
import { runAgainst } from "./testing/cli-harness.ts";

/** Grants everything in tenant-a and nothing else, as a server with a policy would answer. */
function reviewingServer() {
  return new FakeCertplaneApi({
    accessReview: async (request) => {
      if (request.resource === "pods") {
        throw ValidationError.of("resource", "oneOf", `the server doesn't have a resource type "pods"`);
      }
      return request.namespace === "tenant-a"
        ? { allowed: true, identity: "x509:CN=alice", reason: "granted by role tenant-admin" }
        : { allowed: false, identity: "x509:CN=alice", reason: "no role is bound to it" };
    },
  });
}

describe("certctl auth can-i", () => {
  it("prints yes with exit code 0 when the server allows it", async () => {
    const fake = reviewingServer();
    const run = await runAgainst(fake, ["auth", "can-i", "delete", "certs", "-n", "tenant-a"]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "yes\n");
    assert.deepEqual(fake.callsTo("accessReview"), [
      { verb: "delete", resource: "certificates", namespace: "tenant-a" },
    ]);
  });

  it("prints no and the server's reason with exit code 1, asking about every namespace with -A", async () => {
    const fake = reviewingServer();
    const run = await runAgainst(fake, ["auth", "can-i", "list", "secrets", "-A"]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "no - no role is bound to it\n");
    assert.deepEqual(fake.callsTo("accessReview"), [{ verb: "list", resource: "secrets" }]);
    const inDefault = await runAgainst(fake, ["auth", "can-i", "get", "clusterissuers.cert-manager.io"]);
    assert.equal(inDefault.code, 1);
    assert.deepEqual(fake.callsTo("accessReview").at(-1), {
      verb: "get",
      resource: "clusterissuers",
      namespace: "default",
    });
  });

  it("refuses bad input with one line naming what is wrong", async () => {
    const fake = reviewingServer();
    const missing = await runAgainst(fake, ["auth", "can-i", "get"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: missing resource; usage: certctl auth can-i VERB RESOURCE/);
    const both = await runAgainst(fake, ["auth", "can-i", "get", "certs", "-A", "-n", "x"]);
    assert.match(both.stderr, /^error: -n and -A exclude each other/);
    const action = await runAgainst(fake, ["auth", "whoami"]);
    assert.match(action.stderr, /^error: unknown auth action "whoami"; accepted: can-i/);
    assert.deepEqual(fake.calls, []);
    const unknown = await runAgainst(fake, ["auth", "can-i", "get", "pods"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /resource: the server doesn't have a resource type "pods"/);
  });
});
