import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { executeJsonPath, parseJsonPath } from "./jsonpath.ts";

const list = {
  kind: "List",
  items: [
    {
      metadata: { name: "myapp-tls", annotations: { "cert-manager.io/issuer": "demo-ca-issuer" } },
      status: {
        revision: 2,
        conditions: [
          { type: "Issuing", status: "False" },
          { type: "Ready", status: "True" },
        ],
      },
    },
    {
      metadata: { name: "short-lived-cert" },
      status: { revision: 7, conditions: [{ type: "Ready", status: "False" }] },
    },
  ],
};

describe("kubectl JSONPath templates", () => {
  const cases: readonly [string, string, string][] = [
    ["a field", "{.kind}", "List"],
    ["a leading $ like the root", "{$.kind}", "List"],
    ["every item's field, joined by a space", "{.items[*].metadata.name}", "myapp-tls short-lived-cert"],
    ["an index, counted from the end when negative", "{.items[-1].metadata.name}", "short-lived-cert"],
    ["a slice", "{.items[0:1].metadata.name}", "myapp-tls"],
    ["a filter on a string", '{.items[0].status.conditions[?(@.type=="Ready")].status}', "True"],
    [
      "a filter with single quotes and !=",
      "{.items[0].status.conditions[?(@.type!='Ready')].type}",
      "Issuing",
    ],
    ["a numeric filter", "{.items[?(@.status.revision>5)].metadata.name}", "short-lived-cert"],
    ["an existence filter", "{.items[?(@.metadata.annotations)].metadata.name}", "myapp-tls"],
    [
      "an escaped dot in a key",
      "{.items[0].metadata.annotations.cert-manager\\.io/issuer}",
      "demo-ca-issuer",
    ],
    ["a quoted key", "{.items[0].metadata.annotations['cert-manager.io/issuer']}", "demo-ca-issuer"],
    ["recursive descent", "{..name}", "myapp-tls short-lived-cert"],
    ["text around actions", "kind={.kind};", "kind=List;"],
    ["a non-string as JSON", "{.items[1].status.conditions[0]}", '{"type":"Ready","status":"False"}'],
    ["a missing key as nothing", "[{.items[0].spec.nothing}]", "[]"],
    [
      "range with string literals",
      '{range .items[*]}{.metadata.name}{"\\t"}{.status.revision}{"\\n"}{end}',
      "myapp-tls\t2\nshort-lived-cert\t7\n",
    ],
    ["a literal holding a brace", '{"}"}', "}"],
  ];
  for (const [what, template, expected] of cases) {
    it(`evaluates ${what}: ${template}`, () => {
      assert.equal(executeJsonPath(parseJsonPath(template), list), expected);
    });
  }

  const broken: readonly [string, string][] = [
    ["{.kind", "unclosed action"],
    ["{range .items[*]}{.kind}", "unclosed range, missing {end}"],
    ["{end}", "not in range, nothing to end"],
    ["{.items[?(@.x ~ 1)]}", "unrecognized filter ?(@.x ~ 1)"],
    ["{.items[a-b]}", "unrecognized subscript [a-b]"],
  ];
  for (const [template, reason] of broken) {
    it(`refuses ${template}: ${reason}`, () => {
      assert.throws(() => parseJsonPath(template), {
        message: `error parsing jsonpath ${template}, ${reason}`,
      });
    });
  }
});
