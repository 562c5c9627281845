import { type KeyObject, randomBytes } from "node:crypto";
import type { CertificateSpec, RecordedEvent } from "@certplane/domain";
import type {
  CertificateRequestState,
  CertificateState,
  SecretContent,
  SecretOwner,
  SecretState,
} from "@certplane/domain/model";
import {
  certificateDecider,
  certificateIssuanceDecider,
  certificateRequestDecider,
  nextPrivateKeySecretName,
  secretDecider,
  secretTargetDecider,
  streams,
} from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import {
  createCsr,
  generatePrivateKey,
  KeyEncryptionKey,
  randomSerialNumber,
  signCertificate,
} from "@certplane/pki";
import type { CommandContext, WorkShare } from "@certplane/runtime";
import { AggregateRunner, silentLogger } from "@certplane/runtime";
import {
  FakeTimerClock,
  inProcessTestBus,
  type OwnerEndpoints,
  startOwnerEndpoints,
} from "@certplane/runtime/testing";
import { FakeClock } from "@certplane/testing";
import { openPrivateKey } from "../keys/sealed-key.ts";
import type { PublisherContext } from "../publisher-context.ts";
import { dispatch, type PublisherReactor, publisherReactors } from "../reactors.ts";
import type { SecretTarget } from "../secrets/secret-target.ts";
import { publisherContext } from "../service.ts";
import { TargetPublishing } from "../targets/target-publishing.ts";

/**
 * The service's reactors over an in-memory store, driven by hand: `pump()` delivers every new event
 * to every reactor in store order, as the subscriptions would, without timers.
 */
export class PublisherHarness {
  readonly namespace = "apps";
  readonly clock = new FakeClock("2026-01-01T00:00:00Z");
  readonly store = new MemoryEventStore({ clock: this.clock });
  readonly kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  readonly ctx: PublisherContext;
  readonly reactors: readonly PublisherReactor[];
  /** Plays intake and the renewal-scheduler, which own the Certificate's streams. */
  readonly others: AggregateRunner;
  readonly #owners: Promise<OwnerEndpoints>;
  #ids = 0;
  #delivered = 0;

  constructor(targets: readonly SecretTarget[] = []) {
    const bus = inProcessTestBus();
    this.#owners = startOwnerEndpoints({
      store: this.store,
      clock: this.clock,
      newId: this.newId,
      except: ["secret-publisher"],
      bus,
    });
    this.others = new AggregateRunner({ store: this.store, clock: this.clock, newId: this.newId });
    this.ctx = publisherContext({
      store: this.store,
      bus,
      clock: this.clock,
      newId: this.newId,
      logger: silentLogger,
      kek: this.kek,
      targets,
    });
    this.reactors = publisherReactors(targets);
  }

  readonly newId = (): string => `id-${++this.#ids}`;

  /** One instance's SecretTarget publishing when instances share the work, started on what `share` holds. */
  async startSharedPublishing(share: WorkShare, targets: readonly SecretTarget[] = []) {
    const ctx = publisherContext({
      store: this.store,
      bus: inProcessTestBus(),
      clock: this.clock,
      newId: this.newId,
      logger: silentLogger,
      kek: this.kek,
      targets,
      instance: share.instance,
      workShare: share,
    });
    const publishing = new TargetPublishing({
      store: this.store,
      ctx,
      clock: new FakeTimerClock(),
      logger: silentLogger,
      clusterResourceNamespace: "cert-manager",
      share,
    });
    await publishing.start();
    return { ctx, publishing };
  }

  userContext(): CommandContext {
    return { correlationId: this.newId(), causationId: this.newId(), actor: "user" };
  }

  allEvents(): readonly RecordedEvent[] {
    return this.store.log.eventsAfter(0, [], Number.MAX_SAFE_INTEGER);
  }

  /** Delivers events not yet delivered, including those the handlers append, until none are left. */
  async pump(): Promise<void> {
    await this.#owners;
    for (;;) {
      const events = this.store.log.eventsAfter(this.#delivered, [], Number.MAX_SAFE_INTEGER);
      if (events.length === 0) return;
      for (const event of events) {
        await this.#deliver(event);
        this.#delivered = Number(event.position);
      }
    }
  }

  /** Delivers every stored event again, as a subscription restarted from the start would. */
  async redeliverAll(): Promise<void> {
    await this.#owners;
    for (const event of this.allEvents()) await this.#deliver(event);
  }

  async #deliver(event: RecordedEvent): Promise<void> {
    for (const reactor of this.reactors) {
      if (reactor.categories.some((category) => event.stream.startsWith(`${category}-`))) {
        await dispatch(this.ctx, reactor, event);
      }
    }
  }

  /** Applies a Certificate and, as the scheduler would for a new one, triggers its first issuance. */
  /** A file SecretTarget `name` writing into `directory`, as a user would apply it. */
  async applyFileTarget(name: string, directory: string): Promise<void> {
    await this.others.execute(
      streams.secretTarget(name),
      secretTargetDecider,
      { type: "ApplySecretTarget", name, uid: `uid-${name}`, spec: { file: { directory } }, now: this.now() },
      this.userContext(),
    );
  }

  async applyCertificate(name: string, spec: CertificateSpec): Promise<void> {
    const { events } = await this.others.execute(
      streams.certificate(this.namespace, name),
      certificateDecider,
      {
        type: "ApplyCertificate",
        name,
        namespace: this.namespace,
        spec,
        uid: `uid-${name}`,
        now: this.now(),
      },
      this.userContext(),
    );
    const certificate = await this.certificate(name);
    if (
      events.length > 0 &&
      certificate.status === "active" &&
      !certificate.issued &&
      certificate.phase.kind !== "issuing"
    ) {
      await this.#trigger(name, "DoesNotExist", "Issuing certificate as Secret does not exist");
    }
  }

  async triggerIssuance(name: string): Promise<void> {
    await this.#trigger(name, "ManuallyTriggered", "renew");
  }

  async #trigger(name: string, reason: "DoesNotExist" | "ManuallyTriggered", message: string): Promise<void> {
    await this.others.execute(
      streams.certificateIssuance(this.namespace, name),
      certificateIssuanceDecider,
      { type: "TriggerIssuance", reason, message, now: this.now() },
      this.userContext(),
    );
  }

  async deleteCertificate(name: string): Promise<void> {
    await this.others.execute(
      streams.certificate(this.namespace, name),
      certificateDecider,
      { type: "DeleteCertificate", now: this.now() },
      this.userContext(),
    );
  }

  async importSecret(name: string, content: SecretContent): Promise<void> {
    const owner: SecretOwner = { kind: "User", actor: "user" };
    await this.others.execute(
      streams.secret(this.namespace, name),
      secretDecider,
      { type: "WriteSecret", name, namespace: this.namespace, content, owner, now: this.now() },
      this.userContext(),
    );
  }

  async certificate(name: string): Promise<CertificateState> {
    return (await this.ctx.runner.load(streams.certificate(this.namespace, name), certificateDecider)).state;
  }

  async request(name: string): Promise<CertificateRequestState> {
    return (
      await this.ctx.runner.load(streams.certificateRequest(this.namespace, name), certificateRequestDecider)
    ).state;
  }

  async secret(name: string): Promise<SecretState> {
    return (await this.ctx.runner.load(streams.secret(this.namespace, name), secretDecider)).state;
  }

  /** The private key sealed in a secret, opened. */
  async secretKey(name: string): Promise<KeyObject> {
    const state = await this.secret(name);
    if (state.status !== "present") throw new Error(`secret ${name} is absent`);
    const key = openPrivateKey(this.kek, { namespace: this.namespace, name }, state.content);
    if (!key) throw new Error(`secret ${name} has no tls.key`);
    return key;
  }

  /**
   * Plays the approver and a selfSigned signer: signs the request with its certificate's next key,
   * or with `wrongKey` to model an issuer returning a certificate for another key.
   */
  async signRequest(requestName: string, options: { wrongKey?: KeyObject } = {}): Promise<string> {
    const request = await this.request(requestName);
    if (request.status !== "present") throw new Error(`request ${requestName} is absent`);
    const certificateName = requestName.slice(0, requestName.lastIndexOf("-"));
    const key = options.wrongKey ?? (await this.secretKey(nextPrivateKeySecretName(certificateName)));
    const csrPem = options.wrongKey
      ? await createCsr({ dnsNames: ["other.example"] }, options.wrongKey)
      : request.spec.request;
    const signed = await signCertificate({
      csrPem,
      duration: 90 * 24 * 3600_000,
      isCA: request.spec.isCA ?? false,
      usages: request.spec.usages ?? [],
      notBefore: this.clock.now(),
      serialNumber: randomSerialNumber(randomBytes),
      signer: { kind: "selfSigned", privateKey: key },
    });
    await this.#requestCommand(requestName, {
      type: "ApproveCertificateRequest",
      reason: "cert-manager.io",
      message: "approved",
    });
    await this.#requestCommand(requestName, {
      type: "IssueCertificateRequest",
      certificate: signed.pem,
      ca: signed.pem,
    });
    return signed.pem;
  }

  async denyRequest(requestName: string, message: string): Promise<void> {
    await this.#requestCommand(requestName, {
      type: "DenyCertificateRequest",
      reason: "PolicyDenied",
      message,
    });
  }

  async otherKey(): Promise<KeyObject> {
    return await generatePrivateKey({ algorithm: "ECDSA" });
  }

  async #requestCommand(
    requestName: string,
    command:
      | { type: "ApproveCertificateRequest" | "DenyCertificateRequest"; reason: string; message: string }
      | { type: "IssueCertificateRequest"; certificate: string; ca?: string },
  ): Promise<void> {
    await this.others.execute(
      streams.certificateRequest(this.namespace, requestName),
      certificateRequestDecider,
      { ...command, now: this.now() },
      this.userContext(),
    );
  }

  now(): string {
    return this.clock.now().toISOString();
  }
}
