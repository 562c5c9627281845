import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { readApprovalPolicyFile } from "./approval-policy-file.ts";

const policy = (name: string, dnsNames = '["*.example.com"]') => `apiVersion: policy.cert-manager.io/v1alpha1
kind: CertificateRequestPolicy
metadata:
  name: ${name}
spec:
  allowed:
    dnsNames:
      values: ${dnsNames}
  selector:
    issuerRef: {}
`;

const read = (text: string) => readApprovalPolicyFile("/etc/policies.yaml", () => text);

function refusal(text: string): string {
  try {
    read(text);
  } catch (error) {
    assert.ok(error instanceof ValidationError);
    return error.issues[0]!.field;
  }
  assert.fail("the file should have been refused");
}

describe("CERTPLANE_APPROVAL_POLICY_FILE", () => {
  it("reads every CertificateRequestPolicy document of the file", () => {
    const policies = read(`${policy("a")}---\n${policy("b", '["*.other.com"]')}`);
    assert.deepEqual(
      policies.map((p) => [p.name, p.allowed.dnsNames?.values]),
      [
        ["a", ["*.example.com"]],
        ["b", ["*.other.com"]],
      ],
    );
  });

  it("names the variable, the file, the document and the field of what it refuses", () => {
    assert.equal(
      refusal(`${policy("a")}---\n${policy("b").replace("dnsNames:", "dnsNamez:")}`),
      "CERTPLANE_APPROVAL_POLICY_FILE (/etc/policies.yaml)[1]: spec.allowed.dnsNamez",
    );
    assert.equal(
      refusal(`${policy("a")}---\n${policy("a")}`),
      "CERTPLANE_APPROVAL_POLICY_FILE (/etc/policies.yaml)[1]: metadata.name",
    );
    assert.equal(refusal("a: [unclosed\n"), "CERTPLANE_APPROVAL_POLICY_FILE (/etc/policies.yaml)[0]");
    assert.throws(
      () =>
        readApprovalPolicyFile("/nope", () => {
          throw Object.assign(new Error("gone"), { code: "ENOENT" });
        }),
      /cannot read \/nope: ENOENT/,
    );
  });

  it("reads the example in examples/ unchanged", () => {
    const text = readFileSync(
      new URL("../../../../examples/certificate-request-policy.yaml", import.meta.url),
      "utf8",
    );
    assert.ok(read(text).length > 0);
  });
});
