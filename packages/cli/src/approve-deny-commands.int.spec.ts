import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JudgeRequest } from "@certplane/api";
import { FakeCertplaneApi } from "@certplane/api/testing";
import { ValidationError } from "@certplane/domain";
import { runAgainst, runCertctl } from "./testing/cli-harness.ts";

const judging = () =>
  new FakeCertplaneApi({
    judgeCertificateRequest: async (request: JudgeRequest) => ({
      namespace: request.namespace ?? "default",
      name: request.name,
      decision: request.decision,
    }),
  });

describe("certctl approve and deny", () => {
  const cases = [
    {
      name: "approves with cmctl's default reason and message, and says so as cmctl does",
      argv: ["approve", "myapp-tls-1", "-n", "demo-apps"],
      stdout: "Approved CertificateRequest 'demo-apps/myapp-tls-1'\n",
      call: {
        namespace: "demo-apps",
        decision: "approve",
        reason: "KubectlCertManager",
        message: 'manually approved by "certctl"',
      },
    },
    {
      name: "denies with cmctl's default message for a denial",
      argv: ["deny", "myapp-tls-1"],
      stdout: "Denied CertificateRequest 'default/myapp-tls-1'\n",
      call: {
        namespace: "default",
        decision: "deny",
        reason: "KubectlCertManager",
        message: 'manually denied by "certctl"',
      },
    },
    {
      name: "denies with the given reason and message",
      argv: ["deny", "myapp-tls-1", "--reason", "pki-team", "--message", "violates policy"],
      stdout: "Denied CertificateRequest 'default/myapp-tls-1'\n",
      call: { namespace: "default", decision: "deny", reason: "pki-team", message: "violates policy" },
    },
  ] as const;
  for (const c of cases) {
    it(c.name, async () => {
      const fake = judging();
      const run = await runAgainst(fake, c.argv);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, c.stdout);
      assert.deepEqual(fake.callsTo("judgeCertificateRequest"), [{ name: "myapp-tls-1", ...c.call }]);
    });
  }

  it("prints the server's refusal of a request that is already judged and exits 1", async () => {
    const fake = new FakeCertplaneApi({
      judgeCertificateRequest: async () => {
        throw ValidationError.of(
          "status.conditions",
          "alreadyJudged",
          "CertificateRequest is already approved",
        );
      },
    });
    const run = await runAgainst(fake, ["approve", "myapp-tls-1"]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /CertificateRequest is already approved/);
  });

  it("refuses a missing name, a second name and an empty reason or message before asking a server", async () => {
    for (const [argv, expected] of [
      [["approve"], /missing the name of the CertificateRequest/],
      [["deny", "a", "b"], /unexpected argument "b"/],
      [["approve", "a", "--reason="], /a reason must be given as to who approved this CertificateRequest/],
      [["deny", "a", "--message="], /a message must be given as to why this CertificateRequest is denied/],
    ] as const) {
      const run = await runCertctl([...argv, "--server=grpc://127.0.0.1:1"]);
      assert.equal(run.code, 1, `${argv.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, expected);
    }
  });
});
