import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PeerCertificate } from "node:tls";
import { grpcCaller, natsCaller } from "./caller.ts";

const peer = (fields: Partial<PeerCertificate>) => fields as PeerCertificate;

describe("grpcCaller", () => {
  it("names a client certificate by its subject, then its DNS names and URIs", () => {
    const caller = grpcCaller(
      peer({
        subject: { O: "Team A", CN: "alice" } as unknown as PeerCertificate["subject"],
        subjectaltname: "DNS:alice.example.com, URI:spiffe://example.org/tenant-a/alice, IP Address:10.0.0.1",
      }),
      true,
      "ignored",
    );
    assert.deepEqual(caller, {
      actor: "x509:CN=alice,O=Team A",
      identities: [
        "x509:CN=alice,O=Team A",
        "dns:alice.example.com",
        "uri:spiffe://example.org/tenant-a/alice",
      ],
    });
  });

  it("takes the first alternative name as the actor of a certificate without a subject (a SPIFFE SVID)", () => {
    const caller = grpcCaller(
      peer({ subjectaltname: "URI:spiffe://example.org/ns/a/sa/b" }),
      true,
      undefined,
    );
    assert.deepEqual(caller.identities, ["uri:spiffe://example.org/ns/a/sa/b"]);
    assert.equal(caller.actor, "uri:spiffe://example.org/ns/a/sa/b");
  });

  it("records a stated name as unproven: local on plaintext, tls-anonymous over TLS without a certificate", () => {
    assert.deepEqual(grpcCaller(undefined, false, "ops").identities, ["local:ops"]);
    assert.deepEqual(grpcCaller(peer({}), true, "ops").identities, ["tls-anonymous:ops"]);
    assert.deepEqual(grpcCaller(undefined, false, "not a user!").identities, ["local:unknown"]);
    assert.deepEqual(natsCaller("ops").identities, ["nats-unauthenticated:ops"]);
  });
});
