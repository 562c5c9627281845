import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApiCaller } from "@certplane/api";
import { ForbiddenError, parseAccessPolicy, ValidationError } from "@certplane/domain";
import { createLogger } from "@certplane/runtime";
import { parseIntakeConfig } from "../config.ts";
import { apiAccess } from "./api-access.ts";

const caller = (...identities: string[]): ApiCaller => ({ actor: identities[0]!, identities });
const policy = parseAccessPolicy({
  apiVersion: "certplane.io/v1alpha1",
  kind: "AccessPolicy",
  roles: [{ name: "viewer", rules: [{ verbs: ["get"], resources: ["certificates"] }] }],
  bindings: [{ role: "viewer", namespaces: ["team-a"], subjects: ["x509:CN=alice"] }],
});
const getCertificate = { verb: "get", resource: "certificates", namespace: "team-a" } as const;
const deleteCertificate = { ...getCertificate, verb: "delete" } as const;

function withLog(options: { policy?: typeof policy; localAdmin: boolean }) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ service: "intake", write: (line) => lines.push(JSON.parse(line)) });
  return { lines, access: apiAccess({ ...options, logger }) };
}

describe("apiAccess", () => {
  it("refuses with a ForbiddenError naming the identity and the permission, and logs it with the actor", () => {
    const { lines, access } = withLog({ policy, localAdmin: false });
    assert.throws(
      () => access.require(caller("x509:CN=alice"), deleteCertificate),
      (error: unknown) =>
        error instanceof ForbiddenError &&
        error.code === "FORBIDDEN" &&
        error.message.startsWith(
          'x509:CN=alice cannot delete certificates in the namespace "team-a": its roles (viewer) do not grant delete',
        ),
    );
    assert.deepEqual(
      lines.map(({ level, msg, actor, verb, resource, namespace }) => ({
        level,
        msg,
        actor,
        verb,
        resource,
        namespace,
      })),
      [
        {
          level: "warn",
          msg: "API access denied",
          actor: "x509:CN=alice",
          verb: "delete",
          resource: "certificates",
          namespace: "team-a",
        },
      ],
    );
    access.require(caller("x509:CN=alice"), getCertificate);
  });

  it("lets a local caller do anything only when the API is plaintext on loopback", () => {
    const local = caller("local:ops");
    withLog({ policy, localAdmin: true }).access.require(local, deleteCertificate);
    assert.throws(
      () => withLog({ policy, localAdmin: false }).access.require(local, deleteCertificate),
      ForbiddenError,
    );
  });

  it("allows everyone when no policy is configured, saying so in the review", () => {
    const { access } = withLog({ localAdmin: false });
    assert.deepEqual(access.review(caller("x509:CN=anyone"), deleteCertificate), {
      allowed: true,
      identity: "x509:CN=anyone",
      reason: "no access policy is configured",
    });
  });

  it("passes requireAny when one attempt is allowed and names the first otherwise", () => {
    const { access } = withLog({ policy, localAdmin: false });
    access.requireAny(caller("x509:CN=alice"), [deleteCertificate, getCertificate]);
    assert.throws(
      () => access.requireAny(caller("x509:CN=bob"), [deleteCertificate, getCertificate]),
      /x509:CN=bob cannot delete certificates/,
    );
  });
});

describe("CERTPLANE_ACCESS_POLICY_FILE", () => {
  const read = (files: Record<string, string>) => (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error("missing"), { code: "ENOENT" });
    return text;
  };
  const refusal = (files: Record<string, string>) => {
    try {
      parseIntakeConfig({ CERTPLANE_ACCESS_POLICY_FILE: "/etc/policy.yaml" }, { readFile: read(files) });
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      return error.issues.map((issue) => `${issue.field}: ${issue.message}`).join("\n");
    }
    assert.fail("accepted");
  };

  it("reads the policy and makes plaintext loopback the local admin", () => {
    const config = parseIntakeConfig(
      { CERTPLANE_ACCESS_POLICY_FILE: "/etc/policy.yaml" },
      {
        readFile: read({
          "/etc/policy.yaml":
            "apiVersion: certplane.io/v1alpha1\nkind: AccessPolicy\nroles: []\nbindings: []\n",
        }),
      },
    );
    assert.deepEqual(config.accessPolicy, { bindings: [] });
    assert.equal(config.localAdmin, true);
  });

  it("refuses a missing file, invalid YAML and an invalid policy, naming the variable, file and field", () => {
    assert.match(refusal({}), /^CERTPLANE_ACCESS_POLICY_FILE: cannot read \/etc\/policy\.yaml: ENOENT/);
    assert.match(
      refusal({ "/etc/policy.yaml": "roles: [" }),
      /^CERTPLANE_ACCESS_POLICY_FILE \(\/etc\/policy\.yaml\): is not valid YAML/,
    );
    assert.match(
      refusal({
        "/etc/policy.yaml":
          "apiVersion: certplane.io/v1alpha1\nkind: AccessPolicy\nbindings: [{role: admin, subjects: ['x509:CN=a']}]\n",
      }),
      /^CERTPLANE_ACCESS_POLICY_FILE \(\/etc\/policy\.yaml\): bindings\[0\]\.role: no role named "admin"/,
    );
  });
});

describe("examples/access-policy.yaml", () => {
  it("is a valid policy that grants what its comments say", async () => {
    const { readFileSync } = await import("node:fs");
    const path = new URL("../../../../examples/access-policy.yaml", import.meta.url).pathname;
    const config = parseIntakeConfig(
      {
        CERTPLANE_ACCESS_POLICY_FILE: path,
        CERTPLANE_GRPC_INSECURE: "true",
        CERTPLANE_GRPC_ADDRESS: "0.0.0.0:7443",
      },
      { readFile: (file) => readFileSync(file, "utf8") },
    );
    assert.equal(config.localAdmin, false);
    const { access } = withLog({
      ...(config.accessPolicy ? { policy: config.accessPolicy } : {}),
      localAdmin: false,
    });
    const deployer = caller("x509:CN=deployer", "uri:spiffe://example.org/ns/team-b/sa/deployer");
    assert.equal(
      access.review(deployer, { verb: "create", resource: "certificates", namespace: "team-b" }).allowed,
      true,
    );
    assert.equal(access.review(deployer, { verb: "create", resource: "clusterissuers" }).allowed, false);
    const auditor = caller("x509:CN=audit", "dns:audit.example.com");
    assert.equal(access.review(auditor, { verb: "list", resource: "secrets" }).allowed, true);
    assert.equal(
      access.review(auditor, { verb: "delete", resource: "secrets", namespace: "team-a" }).allowed,
      false,
    );
  });
});
