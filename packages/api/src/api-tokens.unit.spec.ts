import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { apiTokenDigest, bearerToken, parseApiTokens } from "./api-tokens.ts";

describe("API tokens", () => {
  const file = [
    "# CI jobs",
    `ci-deployer sha256:${apiTokenDigest("tok-ci")}`,
    "",
    `auditor sha256:${apiTokenDigest("tok-audit")}  # read only`,
  ].join("\n");

  it("names a known token and nothing else", () => {
    const tokens = parseApiTokens(file, "/etc/certplane/tokens");
    assert.equal(tokens.nameOf("tok-ci"), "ci-deployer");
    assert.equal(tokens.nameOf("tok-audit"), "auditor");
    assert.equal(tokens.nameOf("tok-cj"), undefined);
    assert.equal(tokens.nameOf(""), undefined);
  });

  it("refuses a malformed line, a repeated name and a repeated digest, naming the file and line", () => {
    const refusal = (text: string) => {
      try {
        parseApiTokens(text, "tokens.txt");
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail("accepted");
    };
    assert.match(refusal("ci tok-ci"), /tokens\.txt line 1: must be "NAME sha256:<64 hex digits>"/);
    assert.match(
      refusal(`a sha256:${apiTokenDigest("x")}\na sha256:${apiTokenDigest("y")}`),
      /tokens\.txt line 2: token name "a" is listed twice/,
    );
    assert.match(
      refusal(`a sha256:${apiTokenDigest("x")}\nb sha256:${apiTokenDigest("x")}`),
      /tokens\.txt line 2: this token digest is listed twice/,
    );
  });

  it("reads only the Bearer scheme", () => {
    assert.equal(bearerToken("Bearer abc"), "abc");
    assert.equal(bearerToken("bearer   abc "), "abc");
    assert.equal(bearerToken("Basic YWxhZGRpbg=="), undefined);
    assert.equal(bearerToken(undefined), undefined);
  });
});
