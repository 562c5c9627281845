import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ForbiddenError, ValidationError } from "@certplane/domain";
import { FakeClock } from "@certplane/testing";
import { OAuthToken } from "./oauth-token.ts";

/** A token endpoint answering from a list, recording the forms it was sent. */
function endpoint(answers: readonly (readonly [number, unknown])[]) {
  const forms: string[] = [];
  let next = 0;
  const fetch = (async (_url: string, init: RequestInit) => {
    forms.push(String(init.body));
    const [status, body] = answers[next++] ?? [500, {}];
    return new Response(JSON.stringify(body), { status });
  }) as typeof globalThis.fetch;
  return { forms, fetch };
}

const request = {
  url: "http://login.test/token",
  form: () => ({ grant_type: "client_credentials", client_secret: "s3cret" }),
  what: "token for client c",
  hint: "check the client secret",
  field: "dns01.test",
};

describe("OAuthToken", () => {
  it("fetches once, keeps the token until a minute before it expires, then fetches a new one", async () => {
    const clock = new FakeClock();
    const { forms, fetch } = endpoint([
      [200, { access_token: "t1", expires_in: 3600 }],
      [200, { access_token: "t2", expires_in: 3600 }],
    ]);
    const token = new OAuthToken(request, { fetch, clock });
    assert.equal(await token.get(), "t1");
    clock.advance(3540_000 - 1);
    assert.equal(await token.get(), "t1");
    clock.advance(1);
    assert.equal(await token.get(), "t2");
    assert.deepEqual(forms, [
      "grant_type=client_credentials&client_secret=s3cret",
      "grant_type=client_credentials&client_secret=s3cret",
    ]);
  });

  it("reports refused credentials as forbidden whatever the status, other refusals by status, never the form", async () => {
    const refused = endpoint([
      [400, { error: "invalid_grant", error_description: "Invalid JWT Signature." }],
    ]);
    await assert.rejects(new OAuthToken(request, { fetch: refused.fetch }).get(), (error) => {
      assert.ok(error instanceof ForbiddenError);
      assert.equal(
        error.message,
        "token for client c was refused (HTTP 400 invalid_grant: Invalid JWT Signature.); check the client secret",
      );
      return true;
    });
    const scope = endpoint([[400, { error: "invalid_scope" }]]);
    await assert.rejects(new OAuthToken(request, { fetch: scope.fetch }).get(), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.field, "dns01.test");
      assert.doesNotMatch(error.message, /s3cret/);
      return true;
    });
  });
});
