import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fold } from "../../decider.ts";
import { validateResource } from "../../validation/validate-resource.ts";
import { targetSelects } from "../secret-target/selection.ts";
import { parsePublicationStream, streams } from "../streams.ts";
import type { PublicationCommand, PublicationEvent, PublicationState } from "./publication.ts";
import { publicationBackoffPolicy, publicationDecider } from "./publication.ts";
import { certificatePublication } from "./publication-status.ts";

const decider = publicationDecider("east");
const copy = {
  location: "https://east:6443",
  namespace: "demo-apps",
  name: "web-tls",
  resourceVersion: "41",
};

function run(commands: PublicationCommand[]): PublicationEvent[] {
  const events: PublicationEvent[] = [];
  for (const command of commands) events.push(...decider.decide(command, fold(decider, events)));
  return events;
}

const failed = (now: string, retryable = true): PublicationCommand => ({
  type: "RecordPublicationFailed",
  reason: "PublishUnavailable",
  message: "SecretTarget east: connection refused",
  retryable,
  policy: publicationBackoffPolicy,
  secretVersion: 2,
  now,
});

describe("a Secret's publication to one target", () => {
  it("names its Secret and target in one reversible stream name", () => {
    const stream = streams.publication("demo-apps", "web.tls", "east.cluster");
    assert.deepEqual(parsePublicationStream(stream), {
      namespace: "demo-apps",
      secretName: "web.tls",
      target: "east.cluster",
    });
  });

  it("records a publication once; the same content again is no new event", () => {
    const published: PublicationCommand = {
      type: "RecordPublished",
      copies: [copy],
      secretVersion: 1,
      serialNumber: "0a",
      now: "2026-01-01T00:00:00Z",
    };
    const events = run([published, { ...published, now: "2026-01-01T00:01:00Z" }]);
    assert.deepEqual(
      events.map((e) => e.type),
      ["SecretPublished"],
    );
    assert.equal(fold(decider, events).published?.secretVersion, 1);
  });

  it("backs off from 5s, doubling per failed attempt, and a success clears the failure", () => {
    const events = run([
      failed("2026-01-01T00:00:00.000Z"),
      failed("2026-01-01T00:00:05.000Z"),
      failed("2026-01-01T00:00:15.000Z"),
    ]);
    const retries = events.map((e) =>
      e.type === "SecretPublicationFailed" ? [e.data.attempt, e.data.retryAt] : [],
    );
    assert.deepEqual(retries, [
      [1, "2026-01-01T00:00:05.000Z"],
      [2, "2026-01-01T00:00:15.000Z"],
      [3, "2026-01-01T00:00:35.000Z"],
    ]);
    const after = run([
      failed("2026-01-01T00:00:00.000Z"),
      { type: "RecordPublished", copies: [copy], secretVersion: 2, now: "2026-01-01T00:01:00.000Z" },
    ]);
    assert.equal(fold(decider, after).failure, undefined);
    assert.equal(fold(decider, after).published?.secretVersion, 2);
  });

  it("a failure retrying cannot fix has no retry time", () => {
    const [event] = run([failed("2026-01-01T00:00:00.000Z", false)]);
    assert.equal(event?.type === "SecretPublicationFailed" && event.data.retryAt, undefined);
  });

  it("unpublishing forgets what the target held, and is a no-op when it held nothing", () => {
    const unpublish: PublicationCommand = {
      type: "RecordUnpublished",
      reason: "SecretDeleted",
      now: "2026-01-01T00:02:00Z",
    };
    assert.deepEqual(run([unpublish]), []);
    const events = run([
      { type: "RecordPublished", copies: [copy], secretVersion: 1, now: "2026-01-01T00:00:00Z" },
      unpublish,
    ]);
    assert.deepEqual(fold(decider, events), { target: "east" });
  });
});

describe("Published: whether every target holds the Secret as it is now", () => {
  const base = {
    expectedTargets: ["east", "west"],
    currentSecretVersion: 3,
    revisionOfSerial: (serial: string) => (serial === "0b" ? 2 : undefined),
    observedGeneration: 1,
    now: "2026-01-01T01:00:00Z",
  };
  const held = (secretVersion: number, publishedAt: string): PublicationState => ({
    target: "x",
    published: { secretVersion, serialNumber: "0b", copies: [copy], publishedAt },
  });

  it("is True with the revision each target holds when all are current", () => {
    const status = certificatePublication({
      ...base,
      publications: new Map([
        ["east", held(3, "2026-01-01T00:10:00Z")],
        ["west", held(3, "2026-01-01T00:20:00Z")],
      ]),
    });
    assert.equal(status.condition?.status, "True");
    assert.equal(status.condition?.lastTransitionTime, "2026-01-01T00:20:00Z");
    assert.deepEqual(
      status.targets.map((t) => [t.target, t.revision, t.upToDate]),
      [
        ["east", 2, true],
        ["west", 2, true],
      ],
    );
  });

  it("is False naming the target that is behind and its last error with the retry time", () => {
    const status = certificatePublication({
      ...base,
      publications: new Map([
        ["east", held(3, "2026-01-01T00:10:00Z")],
        [
          "west",
          {
            ...held(2, "2026-01-01T00:00:00Z"),
            failure: {
              reason: "PublishUnavailable",
              message: "SecretTarget west: connection refused",
              attempt: 2,
              retryAt: "2026-01-01T00:30:15Z",
              failedAt: "2026-01-01T00:30:00Z",
              secretVersion: 3,
            },
          },
        ],
      ]),
    });
    assert.equal(status.condition?.status, "False");
    assert.equal(status.condition?.reason, "PublishFailed");
    assert.match(
      status.condition?.message ?? "",
      /west: SecretTarget west: connection refused \(retrying at 2026-01-01T00:30:15Z\)/,
    );
    assert.equal(status.targets.find((t) => t.target === "west")?.upToDate, false);
  });

  it("is absent when no target receives the Certificate", () => {
    assert.equal(
      certificatePublication({ ...base, expectedTargets: [], publications: new Map() }).condition,
      undefined,
    );
  });
});

describe("which Certificates a SecretTarget receives", () => {
  const target = (selector?: object) => ({
    name: "east",
    spec: { selector, kubernetes: { kubeconfigSecretRef: { name: "k" } } },
  });

  it("an empty selector takes every Certificate; namespaces and labels narrow it", () => {
    assert.equal(targetSelects(target(), { namespace: "a" }), true);
    assert.equal(targetSelects(target({ namespaces: ["b"] }), { namespace: "a" }), false);
    assert.equal(
      targetSelects(target({ matchLabels: { tier: "edge" } }), { namespace: "a", labels: { tier: "edge" } }),
      true,
    );
    assert.equal(
      targetSelects(target({ matchLabels: { tier: "edge" } }), { namespace: "a", labels: { tier: "core" } }),
      false,
    );
  });

  it("a Certificate naming the target in certplane.io/secret-targets gets it whatever the selector", () => {
    const annotations = { "certplane.io/secret-targets": "west, east" };
    assert.equal(targetSelects(target({ namespaces: ["b"] }), { namespace: "a", annotations }), true);
  });

  it("a SecretTarget must name exactly one destination, with field paths on every problem", () => {
    const result = validateResource({
      apiVersion: "certplane.io/v1alpha1",
      kind: "SecretTarget",
      metadata: { name: "east" },
      spec: {
        kubernetes: { kubeconfigSecretRef: { name: "Bad_Name" }, namespaces: ["Not A Namespace"] },
        file: { directory: "relative/dir" },
      },
    });
    assert.equal(result.ok, false);
    const fields = result.ok ? [] : result.error.issues.map((i) => `${i.field}:${i.rule}`);
    assert.deepEqual(fields.sort(), [
      "spec.file.directory:fileTarget",
      "spec.kubernetes.kubeconfigSecretRef.name:kubernetesTarget",
      "spec.kubernetes.namespaces[0]:kubernetesTarget",
      "spec:exactlyOneTargetType",
    ]);
  });
});
