import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { type FieldIssue, ValidationError } from "@certplane/domain";
import { MAX_DOCUMENTS, MAX_MANIFEST_BYTES, MAX_NESTING_DEPTH } from "./manifest-limits.ts";
import { parseDocuments } from "./parse-documents.ts";

const examples = new URL("../../../../examples/", import.meta.url);

function issuesOf(source: string): readonly FieldIssue[] {
  try {
    parseDocuments(source);
  } catch (error) {
    assert.ok(error instanceof ValidationError, `expected a ValidationError, got ${error}`);
    return error.issues;
  }
  return [];
}

const rulesOf = (source: string) => issuesOf(source).map((issue) => `${issue.field} ${issue.rule}`);

const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...["b", "c", "d", "e", "f", "g", "h", "i"].map((name, i, all) => {
    const previous = i === 0 ? "a" : all[i - 1];
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`;
  }),
].join("\n");

const table: Record<string, [string, string, string[]][]> = {
  manifestTooLarge: [
    [
      "a manifest over 3 MiB is refused before it is parsed",
      `a: "${"x".repeat(MAX_MANIFEST_BYTES)}"`,
      ["manifests manifestTooLarge"],
    ],
    [
      "the limit counts UTF-8 bytes, not characters",
      `a: "${"é".repeat(MAX_MANIFEST_BYTES / 2)}"`,
      ["manifests manifestTooLarge"],
    ],
  ],
  tooManyDocuments: [
    [
      `more than ${MAX_DOCUMENTS} documents are refused`,
      "---\na: 1\n".repeat(MAX_DOCUMENTS + 1),
      ["manifests tooManyDocuments"],
    ],
    [
      "empty documents count too (they cost the parser as much)",
      "---\n".repeat(MAX_DOCUMENTS + 1),
      ["manifests tooManyDocuments"],
    ],
  ],
  nestingTooDeep: [
    [
      "200 000 nested flow sequences (which crash the yaml composer) are refused",
      "[".repeat(200_000),
      ["manifests nestingTooDeep"],
    ],
    ["nested flow maps are refused", "{a: ".repeat(MAX_NESTING_DEPTH + 1), ["manifests nestingTooDeep"]],
    [
      "compact block sequences on one line are refused",
      `${"- ".repeat(1_000_000)}x`,
      ["manifests nestingTooDeep"],
    ],
    [
      "an indentation staircase is refused",
      Array.from({ length: MAX_NESTING_DEPTH + 1 }, (_, i) => `${" ".repeat(i)}a:`).join("\n"),
      ["manifests nestingTooDeep"],
    ],
  ],
  yamlAlias: [
    ["a billion-laughs alias bomb is refused (it was an internal error)", aliasBomb, ["manifests yamlAlias"]],
    ["an alias before its anchor is refused", "a: *x\nb: &x 1\n", ["manifests yamlAlias"]],
  ],
  yamlAliasCycle: [["an alias inside its own anchor is refused", "a: &x [*x]\n", ["a[0] yamlAliasCycle"]]],
  notJson: [
    ["an infinite number is refused", "spec:\n  size: .inf\n", ["spec.size notJson"]],
    [
      "a number too large for a double is refused",
      `spec:\n  size: 1${"0".repeat(400)}\n`,
      ["spec.size notJson"],
    ],
    ["a !!binary tag is refused", "data:\n  tls.crt: !!binary aGVsbG8=\n", ["data[tls.crt] notJson"]],
    ["a !!set tag is refused", "spec: !!set {a}\n", ["spec notJson"]],
  ],
  yaml: [["a duplicated key is refused", "a: 1\na: 2\n", ["manifests yaml"]]],
};

for (const [rule, cases] of Object.entries(table)) {
  describe(`parseDocuments: ${rule}`, () => {
    for (const [name, source, expected] of cases) it(name, () => assert.deepEqual(rulesOf(source), expected));
  });
}

describe("parseDocuments within the limits", () => {
  for (const file of readdirSync(examples).filter((name) => name.endsWith(".yaml"))) {
    it(`parses examples/${file}`, () => {
      assert.ok(parseDocuments(readFileSync(new URL(file, examples), "utf8")).length > 0);
    });
  }

  it(`accepts exactly ${MAX_DOCUMENTS} documents and shared (non-cyclic) aliases`, () => {
    assert.equal(parseDocuments("---\na: 1\n".repeat(MAX_DOCUMENTS)).length, MAX_DOCUMENTS);
    assert.deepEqual(parseDocuments("a: &x {k: v}\nb: [*x, *x]\n"), [
      { a: { k: "v" }, b: [{ k: "v" }, { k: "v" }] },
    ]);
  });

  it("accepts 40 levels of real nesting", () => {
    const depth = 40;
    const block = Array.from({ length: depth }, (_, i) => `${"  ".repeat(i)}k${i}:`).join("\n");
    assert.equal(parseDocuments(`${block} leaf\n`).length, 1);
    assert.equal(parseDocuments(`a: ${"[".repeat(depth)}${"]".repeat(depth)}\n`).length, 1);
  });

  it("names the alias limit in the message", () => {
    assert.match(issuesOf(aliasBomb)[0]?.message ?? "", /aliases expand to more than 100 copies/);
  });
});
