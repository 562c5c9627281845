import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { parseSignerConfig } from "./config.ts";

describe("parseSignerConfig", () => {
  it("defaults the cluster resource namespace to cert-manager, as cert-manager's chart does", () => {
    assert.deepEqual(parseSignerConfig({}), { clusterResourceNamespace: "cert-manager" });
  });

  it("takes CERTPLANE_CLUSTER_RESOURCE_NAMESPACE and freezes the result", () => {
    const config = parseSignerConfig({ CERTPLANE_CLUSTER_RESOURCE_NAMESPACE: "certs-system" });
    assert.equal(config.clusterResourceNamespace, "certs-system");
    assert.ok(Object.isFrozen(config));
  });

  it("rejects a value that cannot be a namespace name", () => {
    assert.throws(
      () => parseSignerConfig({ CERTPLANE_CLUSTER_RESOURCE_NAMESPACE: "Not_A_Namespace" }),
      ValidationError,
    );
  });

  it("reads CERTPLANE_SIGNER_MAX_DURATION as a Go duration and refuses nonsense with the variable named", () => {
    assert.equal(parseSignerConfig({ CERTPLANE_SIGNER_MAX_DURATION: "90s" }).maxDurationMs, 90_000);
    assert.throws(
      () => parseSignerConfig({ CERTPLANE_SIGNER_MAX_DURATION: "soon" }),
      (error: unknown) => error instanceof ValidationError && error.field === "CERTPLANE_SIGNER_MAX_DURATION",
    );
  });

  it("takes CERTPLANE_SIGNER_KUBECONFIG as the path of the kubeconfig for bound service-account tokens", () => {
    assert.equal(parseSignerConfig({}).kubeconfigPath, undefined);
    assert.equal(parseSignerConfig({ CERTPLANE_SIGNER_KUBECONFIG: " " }).kubeconfigPath, undefined);
    assert.equal(
      parseSignerConfig({ CERTPLANE_SIGNER_KUBECONFIG: "/etc/certplane/kubeconfig" }).kubeconfigPath,
      "/etc/certplane/kubeconfig",
    );
  });
});
