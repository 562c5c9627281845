// Builds an intake service over the in-memory store with a fake clock, for the unit specs.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RecordedEvent } from "@certplane/domain";
import { certificateIssuanceDecider, certificateRequestDecider, streams } from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import { KeyEncryptionKey } from "@certplane/pki";
import { AggregateRunner, silentLogger } from "@certplane/runtime";
import { startOwnerEndpoints } from "@certplane/runtime/testing";
import { FakeClock } from "@certplane/testing";
import type { ApprovalPolicy } from "../approval/approval-policy.ts";
import { type IntakeConfig, parseIntakeConfig } from "../config.ts";
import { type IntakeService, startIntakeService } from "../start-intake-service.ts";

/** The namespaces a kubectl user would create first, then the seed exactly as `examples/seed.yaml` has it. */
export const seedManifests = [
  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cert-manager\n",
  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo-apps\n",
  readFileSync(new URL("../../../../examples/seed.yaml", import.meta.url), "utf8"),
].join("---\n");

export interface Harness {
  readonly intake: IntakeService;
  readonly store: MemoryEventStore;
  readonly clock: FakeClock;
  readonly kek: KeyEncryptionKey;
  /** For playing the other services' part (triggering, issuing, creating requests). */
  readonly runner: AggregateRunner;
  allEvents(): Promise<RecordedEvent[]>;
  stop(): Promise<void>;
}

export async function startHarness(
  options: { config?: IntakeConfig; approvalPolicy?: ApprovalPolicy } = {},
): Promise<Harness> {
  const clock = new FakeClock("2026-03-01T10:00:00Z");
  const store = new MemoryEventStore({ clock });
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  const owners = await startOwnerEndpoints({ store, clock, newId: randomUUID, except: ["intake"] });
  const runner = new AggregateRunner({ store, clock, newId: randomUUID });
  const service = await startIntakeService({
    store,
    bus: owners.bus,
    clock,
    newId: randomUUID,
    logger: silentLogger,
    kek,
    config: options.config ?? parseIntakeConfig({}),
    ...(options.approvalPolicy ? { approvalPolicy: options.approvalPolicy } : {}),
  });
  // The renewal-scheduler's first trigger for each new Certificate, played in step with apply so
  // specs read the issuance they always saw right after applying.
  const apply: IntakeService["api"]["apply"] = async (request, caller) => {
    const response = await service.api.apply(request, caller);
    if (request.dryRun) return response;
    for (const result of response.results) {
      if (result.kind !== "Certificate" || result.outcome !== "created") continue;
      await runner.execute(
        streams.certificateIssuance(result.namespace ?? "default", result.name),
        certificateIssuanceDecider,
        {
          type: "TriggerIssuance",
          reason: "DoesNotExist",
          message: "Issuing certificate as Secret does not exist",
          now: clock.now().toISOString(),
        },
        testCommandContext,
      );
    }
    return response;
  };
  const intake: IntakeService = { ...service, api: { ...service.api, apply } };
  return {
    intake,
    store,
    clock,
    kek,
    runner,
    async allEvents() {
      const events: RecordedEvent[] = [];
      let caughtUp!: () => void;
      const done = new Promise<void>((resolve) => {
        caughtUp = resolve;
      });
      const subscription = await store.subscribe({
        from: "start",
        handler: async (event) => {
          events.push(event);
        },
        onCaughtUp: () => caughtUp(),
      });
      await done;
      await subscription.stop();
      return events;
    },
    async stop() {
      await service.stop();
      await owners.stop();
      await store.close();
    },
  };
}

export const testCommandContext = { correlationId: "test", causationId: "test", actor: "test" };

/** A placeholder CSR for specs whose approver never decodes it (no policy selects the request). */
export const unreadCsr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

/** Creates a CertificateRequest as the signer would on the publisher's command; returns its stream. */
export async function createTestRequest(
  h: Harness,
  namespace: string,
  name: string,
  issuerRef: { name: string; kind?: string; group?: string },
  spec: { request?: string; duration?: string } = {},
): Promise<string> {
  const stream = streams.certificateRequest(namespace, name);
  const now = h.clock.now().toISOString();
  await h.runner.execute(
    stream,
    certificateRequestDecider,
    {
      type: "CreateCertificateRequest",
      meta: { name, namespace, uid: `${name}-uid`, generation: 1, creationTimestamp: now },
      spec: { request: unreadCsr, issuerRef, ...spec },
      now,
    },
    testCommandContext,
  );
  return stream;
}
