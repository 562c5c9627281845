import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { call, defineEndpoint, serve } from "./endpoint.ts";
import { InProcessBroker } from "./in-process-broker.ts";
import { InProcessCommandBus } from "./in-process-command-bus.ts";

interface Renew {
  readonly name: string;
}

const renew = defineEndpoint<Renew, { accepted: boolean }>("cmd.certificate.renew", {
  validate: (payload) => {
    const name = (payload as { name?: unknown } | undefined)?.name;
    if (typeof name !== "string" || name === "") throw ValidationError.of("name", "required", "is required");
    return { name };
  },
});

describe("typed endpoints", () => {
  const bus = new InProcessCommandBus(new InProcessBroker(), { onHandlerError: () => {} });
  after(() => bus.close());

  it("round-trips a request that passes validation and rejects one that does not", async () => {
    const seen: Renew[] = [];
    const registration = await serve(bus, renew, async ({ payload }) => {
      seen.push(payload);
      return { accepted: true };
    });

    assert.deepEqual(await call(bus, renew, { name: "web" }), { accepted: true });
    await assert.rejects(bus.request(renew.subject, { name: 42 }), { code: "VALIDATION", field: "name" });
    assert.deepEqual(seen, [{ name: "web" }]);
    await registration.stop();
  });
});
