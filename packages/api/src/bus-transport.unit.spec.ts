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
