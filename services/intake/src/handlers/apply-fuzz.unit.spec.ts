// Random and mutated manifests through the in-process API: each one is refused with a
// ValidationError whose issues carry field paths, or accepted; never anything else, and a refusal
// (or a dry run) leaves the event store exactly as it was.
// Replay a failure with CERTPLANE_FUZZ_SEED=<seed>; CERTPLANE_FUZZ_ITERATIONS widens a run.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { type RecordedEvent, ValidationError } from "@certplane/domain";
import { parseAllDocuments } from "yaml";
import { type Harness, seedManifests, startHarness } from "../testing/harness.ts";
import { Fuzzer, mutateCsr } from "../testing/manifest-fuzzer.ts";

const seed = Number(process.env.CERTPLANE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const iterations = Number(process.env.CERTPLANE_FUZZ_ITERATIONS ?? 250);
const examples = new URL("../../../../examples/", import.meta.url);

function corpusTexts(): string[] {
  const files = readdirSync(examples).filter((name) => name.endsWith(".yaml"));
  return [seedManifests, ...files.map((name) => readFileSync(new URL(name, examples), "utf8"))];
}

const documentsOf = (text: string): unknown[] =>
  parseAllDocuments(text)
    .map((document) => document.toJS())
    .filter((value) => value !== null);

// A fixed CSR (P-256, CN and DNS SAN fuzz.example.com), so a seed replays byte for byte.
const csrPem = [
  "-----BEGIN CERTIFICATE REQUEST-----",
  "MIIBBDCBqwIBADAbMRkwFwYDVQQDDBBmdXp6LmV4YW1wbGUuY29tMFkwEwYHKoZI",
  "zj0CAQYIKoZIzj0DAQcDQgAE8hXCR5+VX4ehwAajR9rl6uXuRgmeei2h9FRnncrw",
  "SPeYP1az+oST4PY40+JqL4CIHQg6q+NfmRV1jF8llB9BC6AuMCwGCSqGSIb3DQEJ",
  "DjEfMB0wGwYDVR0RBBQwEoIQZnV6ei5leGFtcGxlLmNvbTAKBggqhkjOPQQDAgNI",
  "ADBFAiEA+fCRIitXZBxpNu8qYjKZ7Abvvhnyr2aNeSnDcN5fZc0CIA7BtHR+fFC9",
  "EfDUB6VlrMNRte2Hq0KJd6A6AjIiaTKF",
  "-----END CERTIFICATE REQUEST-----",
].join("\n");

const requestDocument = {
  apiVersion: "cert-manager.io/v1",
  kind: "CertificateRequest",
  metadata: { name: "fuzz-request", namespace: "demo-apps" },
  spec: { request: btoa(`${csrPem}\n`), issuerRef: { name: "demo-ca-issuer", kind: "ClusterIssuer" } },
};

// Store positions are bigints, which JSON.stringify refuses on its own.
const asJson = (events: readonly RecordedEvent[]) =>
  JSON.stringify(events, (_, value) => (typeof value === "bigint" ? `${value}n` : value));

type Outcome = { accepted: true } | { accepted: false; error: ValidationError };

/**
 * The events a call may not have written. Reactors still finishing earlier accepted work (the
 * approver, the signer) append to the store at any time, but what they write continues the
 * correlation of the event they react to; a call that wrote anything would start a new one.
 */
async function newWork(before: readonly RecordedEvent[]): Promise<string[]> {
  const events = await h.allEvents();
  assert.equal(asJson(events.slice(0, before.length)), asJson(before), "stored events were changed");
  const correlations = new Set(before.map((event) => event.metadata.correlationId));
  return events
    .slice(before.length)
    .filter((event) => !correlations.has(event.metadata.correlationId))
    .map((event) => `${event.type} on ${event.stream}`);
}

/** Applies `manifests` and checks the one invariant: accepted, or a ValidationError with paths and no write. */
async function applyChecked(manifests: string, dryRun: boolean, label: string): Promise<Outcome> {
  const before = await h.allEvents();
  const unchanged = async (why: string) =>
    assert.deepEqual(await newWork(before), [], `${label}: ${why} wrote events`);
  try {
    await h.intake.api.apply({ manifests, dryRun });
  } catch (error) {
    assert.ok(error instanceof ValidationError, `${label}: expected a ValidationError, got ${String(error)}`);
    assert.equal(error.code, "VALIDATION", label);
    assert.ok(error.issues.length > 0, `${label}: a ValidationError without issues`);
    for (const issue of error.issues) {
      assert.equal(typeof issue.field, "string", `${label}: an issue without a field path`);
      assert.ok(
        issue.field !== "" || issue.object !== undefined,
        `${label}: an issue naming neither field nor object`,
      );
      assert.ok(issue.rule !== "", `${label}: an issue without a rule`);
    }
    await unchanged("a refusal");
    return { accepted: false, error };
  }
  if (dryRun) await unchanged("a dry run");
  return { accepted: true };
}

// One intake, with the seed applied, for both suites: the regressions must hold after the fuzzing too.
let h: Harness;
before(async () => {
  h = await startHarness();
  await h.intake.api.apply({ manifests: seedManifests });
});
after(async () => {
  await h.stop();
});

describe("apply under fuzzing", () => {
  it("refuses with field paths or accepts, never crashes, and writes nothing when refusing", async () => {
    console.log(
      `apply fuzz seed ${seed} (replay with CERTPLANE_FUZZ_SEED=${seed}), ${iterations} iterations`,
    );
    const fuzzer = new Fuzzer(seed);
    const documents = corpusTexts().flatMap(documentsOf);
    const counts = { accepted: 0, refused: 0 };
    for (let i = 0; i < iterations; i++) {
      const label = `seed ${seed}, iteration ${i}`;
      const kind = fuzzer.int(4);
      let manifests: string;
      if (kind === 0) {
        const request = structuredClone(requestDocument);
        request.metadata.name = `fuzz-request-${i}`;
        request.spec.request = mutateCsr(fuzzer, csrPem);
        manifests = fuzzer.yaml(fuzzer.chance(0.3) ? fuzzer.mutateValue(request) : request);
      } else if (kind === 1) {
        manifests = fuzzer.mutateText(fuzzer.yaml(fuzzer.pick(documents)));
      } else {
        const picked = Array.from({ length: 1 + fuzzer.int(3) }, () =>
          fuzzer.mutateValue(fuzzer.pick(documents)),
        );
        manifests = picked.map((document) => fuzzer.yaml(document)).join("---\n");
      }
      const outcome = await applyChecked(
        manifests,
        fuzzer.chance(0.3),
        `${label}\n${manifests.slice(0, 400)}`,
      );
      counts[outcome.accepted ? "accepted" : "refused"]++;
    }
    console.log(`apply fuzz: ${counts.refused} refused, ${counts.accepted} accepted`);
    assert.ok(counts.refused > 0, "the mutations should be refused at least sometimes");
  });
});

describe("apply refuses what the fuzzer found, as named regressions", () => {
  const certificate = (spec: string) =>
    `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: fuzz, namespace: demo-apps}\n` +
    `spec:\n  secretName: fuzz-tls\n  issuerRef: {name: demo-ca-issuer, kind: ClusterIssuer}\n${spec}`;

  const aliasBomb = ["a", "b", "c", "d", "e", "f"]
    .map(
      (name, i, all) =>
        `${name}: &${name} [${Array(9)
          .fill(i === 0 ? '"x"' : `*${all[i - 1]}`)
          .join(",")}]`,
    )
    .join("\n");
  /** The fixed CSR with its DER changed by `change`, as an applied CertificateRequest. */
  const alteredRequest = (change: (der: Buffer) => void) => {
    const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ""), "base64");
    change(der);
    const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`;
    return JSON.stringify({ ...requestDocument, spec: { ...requestDocument.spec, request: btoa(pem) } });
  };
  // The uncompressed P-256 point: BIT STRING (0x03 0x42), no unused bits, 0x04.
  const pointAt = (der: Buffer) => der.indexOf(Buffer.of(0x03, 0x42, 0x00, 0x04)) + 4;
  const regressions: [string, string, string][] = [
    [
      "a CSR whose public key is not on its curve (was an internal error)",
      alteredRequest((der) => {
        der[pointAt(der) + 5]! ^= 0xff;
      }),
      "publicKey",
    ],
    [
      "a CSR whose signature is not its key's (was recorded and approved, then failed by the signer)",
      alteredRequest((der) => {
        der[der.length - 1]! ^= 0x01;
      }),
      "csrSignature",
    ],
    [
      "a DNS name with a NUL byte (was issued)",
      certificate('  dnsNames: ["a.example.com\\0.evil"]\n'),
      "identityControlCharacter",
    ],
    ["an alias bomb (was an internal error)", aliasBomb, "yamlAlias"],
    ["an alias before its anchor (was an internal error)", "a: *x\nb: &x 1\n", "yamlAlias"],
    ["an alias inside its own anchor (was a circular value)", "a: &x [*x]\n", "yamlAliasCycle"],
    ["200 000 nested brackets (crashed the process)", "[".repeat(200_000), "nestingTooDeep"],
    [
      "a !!binary value (was passed on as a Buffer)",
      certificate("  commonName: !!binary aGVsbG8=\n"),
      "notJson",
    ],
    [
      "an Ingress whose spec.tls is not a list (was a TypeError, seed 6)",
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: hello-app\n  namespace: demo-apps\n" +
        "  annotations: {cert-manager.io/cluster-issuer: demo-ca-issuer}\nspec:\n  tls: false\n",
      "invalidType",
    ],
    [
      "a Secret key that climbs out of its directory (was stored, then refused by the file target)",
      'apiVersion: v1\nkind: Secret\nmetadata: {name: climb, namespace: demo-apps}\nstringData: {"../x": y}\n',
      "secretDataKeyInvalid",
    ],
    [
      "an issuer whose CA Secret name can never exist (waited for ever)",
      "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata: {name: bad-ca}\nspec:\n  ca: {secretName: 'My CA'}\n",
      "referenceNameNotDns1123Subdomain",
    ],
  ];
  for (const [name, manifests, rule] of regressions) {
    it(`refuses ${name} with rule ${rule}`, async () => {
      const outcome = await applyChecked(manifests, false, name);
      assert.ok(!outcome.accepted, `${name} was accepted`);
      assert.ok(
        outcome.error.issues.some((issue) => issue.rule === rule),
        `${name}: ${JSON.stringify(outcome.error.issues)}`,
      );
    });
  }
});
