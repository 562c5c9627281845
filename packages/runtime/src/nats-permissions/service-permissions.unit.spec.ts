import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { categoryOwners, ownerCommandRoutes, ownerCommandSubject, services } from "@certplane/domain";
import type { StreamCategory } from "@certplane/domain/model";
import { subjectMatches } from "@certplane/messaging";
import { certplaneSubjectLayout } from "./certplane-layout.ts";
import { servicePermissions } from "./service-permissions.ts";

const permissions = new Map(
  services.map((service) => [service, servicePermissions(service, certplaneSubjectLayout)]),
);
const allowed = (patterns: readonly string[], subject: string) =>
  patterns.some((p) => subjectMatches(p, subject));

describe("servicePermissions", () => {
  it("lets only a category's owner publish its events", () => {
    for (const [category, owner] of Object.entries(categoryOwners) as [StreamCategory, string][]) {
      const subject = `events.${category}.demo_app.example.com`;
      for (const [service, granted] of permissions) {
        assert.equal(
          allowed(granted.publish, subject),
          service === owner,
          `${service} publishing ${subject}`,
        );
      }
    }
  });

  it("lets exactly a command's senders send it and its owner serve it", () => {
    for (const route of ownerCommandRoutes) {
      const subject = ownerCommandSubject(route.category, route.command);
      for (const [service, granted] of permissions) {
        assert.equal(
          allowed(granted.publish, subject),
          route.senders.includes(service),
          `${service} sending ${subject}`,
        );
        assert.equal(
          allowed(granted.subscribe, subject),
          categoryOwners[route.category] === service,
          `${service} serving ${subject}`,
        );
      }
    }
  });

  it("gives the API to intake alone, and each service its own inbox only", () => {
    for (const [service, granted] of permissions) {
      assert.equal(allowed(granted.subscribe, "certplane.api.v1.get"), service === "intake", service);
      assert.ok(allowed(granted.subscribe, `_INBOX.${service}.abc.1`), service);
      for (const other of services.filter((s) => s !== service)) {
        assert.ok(
          !allowed(granted.subscribe, `_INBOX.${other}.abc.1`),
          `${service} reading ${other}'s replies`,
        );
      }
    }
  });

  it("answers replies only for services that serve something", () => {
    assert.deepEqual(
      [...permissions.values()]
        .filter((p) => p.allowResponses)
        .map((p) => p.service)
        .sort(),
      ["intake", "renewal-scheduler", "secret-publisher", "signer"],
    );
  });

  it("never allows deleting, purging or updating a stream", () => {
    for (const granted of permissions.values()) {
      for (const verb of ["DELETE", "PURGE", "UPDATE"]) {
        assert.ok(!allowed(granted.publish, `$JS.API.STREAM.${verb}.CERTPLANE_EVENTS`), verb);
      }
    }
  });
});
