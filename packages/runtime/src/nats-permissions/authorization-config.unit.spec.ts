import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { passwordVariable, renderAuthorizationConfig } from "./authorization-config.ts";
import { certplaneSubjectLayout } from "./certplane-layout.ts";

const checkedIn = new URL("../../../../infra/nats/authorization.conf", import.meta.url);

describe("infra/nats/authorization.conf", () => {
  it("is what the owner table gives today (run `pnpm nats-config` when this fails)", async () => {
    assert.equal(await readFile(checkedIn, "utf8"), renderAuthorizationConfig(certplaneSubjectLayout));
  });

  it("holds no password, only the variables the server resolves from its environment", () => {
    const text = renderAuthorizationConfig(certplaneSubjectLayout);
    assert.match(text, /password: \$CERTPLANE_NATS_PASSWORD_SECRET_PUBLISHER\n/);
    assert.equal(passwordVariable("acme-solver"), "CERTPLANE_NATS_PASSWORD_ACME_SOLVER");
  });
});
