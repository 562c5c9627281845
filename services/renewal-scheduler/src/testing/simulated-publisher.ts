// Stands in for intake and the secret-publisher in scheduler tests: applies Certificates and
// completes issuances with real certificates of chosen validity (only public parts reach events),
// reporting outcomes to the scheduler as the publisher does, by owner command.
import { randomUUID } from "node:crypto";
import type { CertificateSpec, Clock } from "@certplane/domain";
import type { CertificateIssuanceCommand, SecretCommand } from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  secretAnnotations,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import type { CommandBus } from "@certplane/messaging";
import { createCsr, generatePrivateKey, keyIdentifier, signCertificate } from "@certplane/pki";
import { AggregateRunner, type CommandContext, OwnerCommandSender } from "@certplane/runtime";
import { inProcessTestBus, type OwnerEndpoints, startOwnerEndpoints } from "@certplane/runtime/testing";
import { pollUntil } from "@certplane/testing";

export const NAMESPACE = "default";
/** The trace of everything the simulated user and services record, as a traced client's would be. */
export const USER_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

const user: CommandContext = {
  correlationId: "test",
  causationId: "test",
  actor: "user",
  traceparent: USER_TRACEPARENT,
};

export class SimulatedControlPlane {
  readonly store: MemoryEventStore;
  readonly runner: AggregateRunner;
  /** The bus the scheduler under test serves its commands on. */
  readonly bus: CommandBus = inProcessTestBus();
  readonly #clock: Clock;
  readonly #publisher: OwnerCommandSender;
  readonly #owners: Promise<OwnerEndpoints>;

  constructor(clock: Clock, store = new MemoryEventStore({ clock })) {
    this.#clock = clock;
    this.store = store;
    this.runner = new AggregateRunner({ store, clock, newId: randomUUID });
    this.#publisher = new OwnerCommandSender({
      bus: this.bus,
      service: "secret-publisher",
      newId: randomUUID,
    });
    this.#owners = startOwnerEndpoints({
      store,
      clock,
      newId: randomUUID,
      except: ["renewal-scheduler"],
      bus: this.bus,
    });
  }

  async stop(): Promise<void> {
    await (await this.#owners).stop();
    await this.bus.close();
  }

  /** The issuance the scheduler triggered for `name`, once it has. */
  async issuing(name: string) {
    return pollUntil(
      async () => {
        const { phase } = await this.certificate(name);
        return phase.kind === "issuing" ? phase.attempt : undefined;
      },
      { what: `${name} to be issuing` },
    );
  }

  async #toScheduler(name: string, command: CertificateIssuanceCommand): Promise<void> {
    await this.#owners;
    await this.#publisher.send(streams.certificateIssuance(NAMESPACE, name), command, user);
  }

  async apply(name: string, spec: Partial<CertificateSpec> = {}): Promise<void> {
    await this.runner.execute(
      streams.certificate(NAMESPACE, name),
      certificateDecider,
      {
        type: "ApplyCertificate",
        name,
        namespace: NAMESPACE,
        uid: `uid-${name}`,
        spec: {
          secretName: `${name}-tls`,
          issuerRef: { name: "ca" },
          privateKey: { algorithm: "ECDSA" },
          ...spec,
        },
        now: this.#clock.now().toISOString(),
      },
      user,
    );
  }

  async certificate(name: string) {
    const { state } = await this.runner.load(streams.certificate(NAMESPACE, name), certificateDecider);
    if (state.status !== "active") throw new Error(`certificate ${name} is not active`);
    return state;
  }

  /** Issues the pending request: a certificate valid from now for `lifetimeMs`, its secret, RecordIssued. */
  async completeIssuance(name: string, lifetimeMs: number): Promise<string> {
    const { requestName } = await this.issuing(name);
    const now = this.#clock.now();
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const csrPem = await createCsr({ dnsNames: [`${name}.example`] }, key);
    const serialNumber = randomUUID().replaceAll("-", "").slice(0, 16);
    const signed = await signCertificate({
      csrPem,
      duration: lifetimeMs,
      notBefore: now,
      serialNumber,
      signer: { kind: "selfSigned", privateKey: key },
    });
    await this.runner.execute(
      streams.certificateRequest(NAMESPACE, requestName),
      certificateRequestDecider,
      {
        type: "CreateCertificateRequest",
        meta: {
          name: requestName,
          namespace: NAMESPACE,
          uid: randomUUID(),
          generation: 1,
          creationTimestamp: now.toISOString(),
        },
        spec: { request: csrPem, issuerRef: { name: "ca" } },
        now: now.toISOString(),
      },
      user,
    );
    await this.writeSecret(
      name,
      {
        "tls.crt": signed.pem,
      },
      Buffer.from(keyIdentifier(key)).toString("hex"),
    );
    const notAfter = new Date(now.getTime() + lifetimeMs);
    await this.#toScheduler(name, {
      type: "RecordIssued",
      requestName,
      serialNumber,
      notBefore: now.toISOString(),
      notAfter: notAfter.toISOString(),
      now: now.toISOString(),
    });
    return serialNumber;
  }

  async writeSecret(name: string, data: Record<string, string>, privateKeyId: string): Promise<void> {
    const command: SecretCommand = {
      type: "WriteSecret",
      name: `${name}-tls`,
      namespace: NAMESPACE,
      owner: { kind: "Certificate", name, uid: `uid-${name}` },
      content: {
        type: "kubernetes.io/tls",
        data,
        sealedData: { "tls.key": "sealed:v1:not-a-real-key" },
        annotations: {
          "cert-manager.io/certificate-name": name,
          "cert-manager.io/issuer-name": "ca",
          [secretAnnotations.privateKeyId]: privateKeyId,
        },
      },
      now: this.#clock.now().toISOString(),
    };
    await this.runner.execute(streams.secret(NAMESPACE, `${name}-tls`), secretDecider, command, user);
  }

  async fail(name: string): Promise<void> {
    const { requestName } = await this.issuing(name);
    await this.#toScheduler(name, {
      type: "RecordIssuanceFailed",
      requestName,
      reason: "Failed",
      message: "issuer said no",
      now: this.#clock.now().toISOString(),
    });
  }

  async deleteSecret(name: string): Promise<void> {
    await this.runner.execute(
      streams.secret(NAMESPACE, `${name}-tls`),
      secretDecider,
      { type: "DeleteSecret", reason: "test", now: this.#clock.now().toISOString() },
      user,
    );
  }
}
