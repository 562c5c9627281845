import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { streams } from "@certplane/domain/model";
import { partitionOf } from "@certplane/event-store";
import { challengeNameFor, orderNameFor } from "./orders/names.ts";
import { workPartitionOf } from "./work-partition.ts";

const PARTITIONS = 1024;

describe("the partition the solver works a stream in", () => {
  it("is the request's for the request, its Order and the Order's Challenges", () => {
    for (const request of ["web", "web-1", "a-b-c-d", "x"]) {
      const order = orderNameFor(request, { dnsNames: [`${request}.example.test`] });
      const challenge = challengeNameFor(order, "https://acme.test/authz/7", "dns-01");
      const expected = partitionOf(streams.certificateRequest("apps", request), PARTITIONS);
      assert.equal(workPartitionOf(streams.certificateRequest("apps", request), PARTITIONS), expected);
      assert.equal(
        workPartitionOf(streams.order("apps", order), PARTITIONS),
        expected,
        `order of ${request}`,
      );
      assert.equal(
        workPartitionOf(streams.challenge("apps", challenge), PARTITIONS),
        expected,
        `challenge of ${request}`,
      );
    }
  });

  it("is the issuer's own stream's for an Issuer or ClusterIssuer", () => {
    for (const issuer of [streams.issuer("apps", "le-prod"), streams.clusterIssuer("le-staging")]) {
      assert.equal(workPartitionOf(issuer, PARTITIONS), partitionOf(issuer, PARTITIONS));
    }
  });
});
