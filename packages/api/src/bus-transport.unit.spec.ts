import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { CertplaneError } from "@certplane/domain";
import { InProcessBroker, InProcessCommandBus } from "@certplane/messaging";
import { createBusApiClient, serveBusApi } from "./bus-api.ts";
import { transportContract } from "./contract/transport-contract.ts";
import { apiSubject } from "./operations.ts";
import { FakeCertplaneApi } from "./testing/fake-api.ts";

const newBus = (broker: InProcessBroker) => new InProcessCommandBus(broker, { onHandlerError: () => {} });

transportContract("command bus", {
  carriesPrivateKeys: false,
  connect: async (api) => {
    const broker = new InProcessBroker();
    const serverBus = newBus(broker);
    const clientBus = newBus(broker);
    await serveBusApi(serverBus, api, { queue: "intake" });
    return {
      client: createBusApiClient(clientBus, { timeoutMs: 5_000 }),
      close: async () => {
        await clientBus.close();
        await serverBus.close();
      },
    };
  },
  unreachable: async () => {
    const bus = newBus(new InProcessBroker());
    return { client: createBusApiClient(bus), names: apiSubject("get"), close: () => bus.close() };
  },
});

describe("the bus API server", () => {
  const broker = new InProcessBroker();
  const serverBus = newBus(broker);
  const rogueBus = newBus(broker);
  const fake = new FakeCertplaneApi({ createTlsSecret: async () => ({ outcome: "created" }) });
  after(async () => {
    await rogueBus.close();
    await serverBus.close();
  });

  it("refuses a private key sent by a client that skipped the check", async () => {
    await serveBusApi(serverBus, fake, { queue: "intake" });
    await assert.rejects(
      rogueBus.request(apiSubject("createTlsSecret"), {
        name: "x",
        namespace: "default",
        certificatePem: "",
        privateKeyPem: "-----BEGIN PRIVATE KEY-----",
      }),
      (error: unknown) =>
        error instanceof CertplaneError && error.code === "FORBIDDEN" && error.message.includes("gRPC API"),
    );
    assert.equal(fake.callsTo("createTlsSecret").length, 0);
  });

  it("refuses Secret manifests on both sides, so credentials never cross the bus", async () => {
    const applying = new FakeCertplaneApi({ apply: async () => ({ results: [], dryRun: false }) });
    const lonelyBroker = new InProcessBroker();
    const bus = newBus(lonelyBroker);
    const client = newBus(lonelyBroker);
    await serveBusApi(bus, applying, { queue: "intake" });
    const secretYaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: tsig}\nstringData: {key: c2VjcmV0}\n";
    const secretJson = JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "t" } });
    const forbidden = (error: unknown) =>
      error instanceof CertplaneError && error.code === "FORBIDDEN" && error.field === "manifests";
    for (const manifests of [secretYaml, `kind: Certificate\n---\n${secretYaml}`, secretJson]) {
      await assert.rejects(createBusApiClient(client).apply({ manifests }), forbidden);
      await assert.rejects(client.request(apiSubject("apply"), { manifests }), forbidden);
    }
    assert.equal(applying.callsTo("apply").length, 0);
    // A Certificate naming a secret is fine: only Secret documents are refused.
    await createBusApiClient(client).apply({
      manifests: "kind: Certificate\nspec: {secretName: kind-secret}\n",
    });
    assert.equal(applying.callsTo("apply").length, 1);
    await client.close();
    await bus.close();
  });

  it("stops answering once its registration is stopped", async () => {
    const lonelyBroker = new InProcessBroker();
    const bus = newBus(lonelyBroker);
    const client = newBus(lonelyBroker);
    const registration = await serveBusApi(
      bus,
      new FakeCertplaneApi({ renew: async () => ({ renewed: [] }) }),
      {
        queue: "intake",
      },
    );
    assert.deepEqual(await createBusApiClient(client).renew({ all: true }), { renewed: [] });
    await registration.stop();
    await assert.rejects(
      createBusApiClient(client).renew({ all: true }),
      (error: unknown) => error instanceof CertplaneError && error.code === "NO_RESPONDERS",
    );
    await client.close();
    await bus.close();
  });
});
