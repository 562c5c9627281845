import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ValidationError } from "@certplane/domain";
import { assertPublishSubject, assertSubscribeSubject, subjectMatches } from "./subject.ts";

describe("subjects", () => {
  const cases: ReadonlyArray<[pattern: string, subject: string, matches: boolean]> = [
    ["cmd.certificate.issue", "cmd.certificate.issue", true],
    ["cmd.certificate.issue", "cmd.certificate.renew", false],
    ["cmd.*.issue", "cmd.certificate.issue", true],
    ["cmd.*", "cmd.certificate.issue", false],
    ["cmd.>", "cmd.certificate.issue", true],
    ["cmd.>", "cmd", false],
    ["cmd.certificate.issue.>", "cmd.certificate.issue", false],
    ["*.*", "cmd", false],
  ];
  for (const [pattern, subject, matches] of cases) {
    it(`${pattern} ${matches ? "matches" : "does not match"} ${subject}`, () => {
      assert.equal(subjectMatches(pattern, subject), matches);
    });
  }

  it("accepts wildcards only where a subscription may use them", () => {
    assert.doesNotThrow(() => assertSubscribeSubject("cmd.*.issue.>"));
    assert.throws(() => assertSubscribeSubject("cmd.>.issue"), ValidationError);
    assert.throws(() => assertSubscribeSubject("cmd.cert*"), ValidationError);
    assert.throws(() => assertPublishSubject("cmd.*"), ValidationError);
    assert.throws(() => assertPublishSubject("cmd..issue"), ValidationError);
    assert.throws(() => assertPublishSubject("cmd issue"), ValidationError);
  });
});
