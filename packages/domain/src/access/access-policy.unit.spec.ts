import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "../errors.ts";
import { type AccessAttempt, decideAccess, parseAccessPolicy, parseAccessResource } from "./access-policy.ts";

const alice = "x509:CN=alice,O=Team A";
const bob = "uri:spiffe://example.org/tenant-b/bob";
const ops = "dns:ops.example.com";

const policy = parseAccessPolicy({
  apiVersion: "certplane.io/v1alpha1",
  kind: "AccessPolicy",
  roles: [
    { name: "tenant-admin", rules: [{ verbs: ["*"], resources: ["*"] }] },
    { name: "viewer", rules: [{ verbs: ["get", "list"], resources: ["certificates", "issuers"] }] },
  ],
  bindings: [
    { role: "tenant-admin", namespaces: ["tenant-a"], subjects: [alice] },
    { role: "tenant-admin", namespaces: ["tenant-b"], subjects: [bob] },
    { role: "viewer", namespaces: ["tenant-b"], subjects: [alice] },
    { role: "tenant-admin", subjects: [ops] },
  ],
});

const allowed = (identity: string, attempt: AccessAttempt) =>
  decideAccess(policy, [identity], attempt).allowed;

describe("decideAccess", () => {
  it("grants a namespaced role in its namespaces only", () => {
    assert.ok(allowed(alice, { verb: "delete", resource: "certificates", namespace: "tenant-a" }));
    assert.ok(!allowed(bob, { verb: "delete", resource: "certificates", namespace: "tenant-a" }));
    assert.ok(!allowed(alice, { verb: "get", resource: "secrets", namespace: "tenant-c" }));
  });

  it("grants only the verbs and resources its rules list", () => {
    assert.ok(allowed(alice, { verb: "get", resource: "certificates", namespace: "tenant-b" }));
    assert.ok(!allowed(alice, { verb: "delete", resource: "certificates", namespace: "tenant-b" }));
    assert.ok(!allowed(alice, { verb: "get", resource: "secrets", namespace: "tenant-b" }));
  });

  it("needs a cluster-wide binding for cluster-scoped resources and for every namespace at once", () => {
    assert.ok(!allowed(alice, { verb: "create", resource: "clusterissuers" }));
    assert.ok(!allowed(alice, { verb: "create", resource: "secrettargets" }));
    assert.ok(!allowed(alice, { verb: "list", resource: "certificates" }));
    assert.ok(allowed(ops, { verb: "create", resource: "clusterissuers" }));
    assert.ok(allowed(ops, { verb: "list", resource: "certificates" }));
    assert.ok(allowed(ops, { verb: "rebuild", resource: "readmodels" }));
  });

  it("matches any of the caller's identities", () => {
    const decision = decideAccess(policy, ["x509:CN=someone", ops], { verb: "delete", resource: "secrets" });
    assert.deepEqual(decision, { allowed: true, role: "tenant-admin" });
  });

  it("says why a denial happened", () => {
    assert.deepEqual(decideAccess(policy, ["local:mallory"], { verb: "get", resource: "secrets" }), {
      allowed: false,
      reason: "no role is bound to it",
    });
    assert.deepEqual(
      decideAccess(policy, [alice], { verb: "delete", resource: "certificates", namespace: "tenant-b" }),
      {
        allowed: false,
        reason:
          'its roles (tenant-admin, viewer) do not grant delete on certificates in the namespace "tenant-b"',
      },
    );
  });
});

describe("parseAccessPolicy", () => {
  const base = { apiVersion: "certplane.io/v1alpha1", kind: "AccessPolicy" };
  const refusal = (document: unknown) => {
    try {
      parseAccessPolicy(document);
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      return error.issues.map((issue) => `${issue.field}: ${issue.message}`);
    }
    assert.fail("accepted");
  };

  const cases: readonly [string, unknown, RegExp][] = [
    [
      "unknown verb",
      { ...base, roles: [{ name: "r", rules: [{ verbs: ["patch"], resources: ["*"] }] }] },
      /^roles\[0\]\.rules\[0\]\.verbs\[0\]: /,
    ],
    [
      "unknown resource",
      { ...base, roles: [{ name: "r", rules: [{ verbs: ["get"], resources: ["pods"] }] }] },
      /^roles\[0\]\.rules\[0\]\.resources\[0\]: /,
    ],
    [
      "binding to a role that is not defined",
      { ...base, bindings: [{ role: "admin", subjects: [alice] }] },
      /^bindings\[0\]\.role: no role named "admin"/,
    ],
    [
      "subject without an identity prefix",
      {
        ...base,
        roles: [{ name: "r", rules: [{ verbs: ["get"], resources: ["*"] }] }],
        bindings: [{ role: "r", subjects: ["alice"] }],
      },
      /^bindings\[0\]\.subjects\[0\]: must be an identity like x509:/,
    ],
    [
      "namespace that is not a DNS label",
      {
        ...base,
        roles: [{ name: "r", rules: [{ verbs: ["get"], resources: ["*"] }] }],
        bindings: [{ role: "r", namespaces: ["Tenant_A"], subjects: [alice] }],
      },
      /^bindings\[0\]\.namespaces\[0\]: /,
    ],
    [
      "role defined twice",
      {
        ...base,
        roles: [
          { name: "r", rules: [{ verbs: ["get"], resources: ["*"] }] },
          { name: "r", rules: [{ verbs: ["get"], resources: ["*"] }] },
        ],
      },
      /^roles\[1\]\.name: role "r" is defined twice/,
    ],
    ["unknown field", { ...base, rolez: [] }, /rolez/],
    ["wrong kind", { ...base, kind: "Policy" }, /^kind: /],
  ];
  for (const [rule, document, expected] of cases) {
    it(`refuses a ${rule}, naming the field`, () => {
      assert.match(refusal(document).join("\n"), expected);
    });
  }
});

describe("parseAccessResource", () => {
  it("reads the spellings kubectl accepts", () => {
    for (const text of ["certificates", "certificates.cert-manager.io", "Certificate", "certificate"]) {
      assert.equal(parseAccessResource(text), "certificates");
    }
    assert.equal(parseAccessResource("clusterissuers.cert-manager.io"), "clusterissuers");
    assert.equal(parseAccessResource("pods"), undefined);
  });
});
