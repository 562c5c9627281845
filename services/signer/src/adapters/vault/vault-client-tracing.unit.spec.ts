// Each Vault call is a client span of its own, so a slow or refusing Vault shows in the trace of
// the issuance that waited on it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SpanKind, SpanStatusCode } from "@certplane/telemetry";
import { InMemorySpanExporter, startTracing, type Tracing } from "@certplane/telemetry/sdk";
import { VaultStandIn } from "@certplane/testing/vault";
import { createVaultTestCa } from "../../testing/vault-test-ca.ts";
import { VaultClient } from "./vault-client.ts";

describe("Vault client spans", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let vault: VaultStandIn;

  before(async () => {
    tracing = startTracing({ serviceName: "signer", env: {}, exporter });
    const now = () => new Date();
    vault = await VaultStandIn.start({ now, ca: await createVaultTestCa(now()) });
    vault.writeAppRole("signer-role", "s3cret", 3600);
  });
  after(async () => {
    await vault.stop();
    await tracing.shutdown();
  });

  it("records one client span per call, naming the operation and the server, and a refusal as an error", async () => {
    const client = new VaultClient({
      server: vault.url,
      namespace: undefined,
      caPem: undefined,
      serverName: undefined,
      clientCertificate: undefined,
    });
    const login = await client.appRoleLogin("approle", "signer-role", "s3cret");
    await client.lookupSelf(login.token);
    await assert.rejects(client.appRoleLogin("approle", "signer-role", "wrong"));

    const spans = exporter.getFinishedSpans();
    assert.deepEqual(
      spans.map((span) => [span.name, span.kind, span.status.code]),
      [
        ["vault AppRole login", SpanKind.CLIENT, SpanStatusCode.UNSET],
        ["vault token lookup-self", SpanKind.CLIENT, SpanStatusCode.UNSET],
        ["vault AppRole login", SpanKind.CLIENT, SpanStatusCode.ERROR],
      ],
    );
    const url = new URL(vault.url);
    assert.equal(spans[0]?.attributes["server.address"], url.hostname);
    assert.equal(spans[0]?.attributes["server.port"], Number(url.port));
  });
});
