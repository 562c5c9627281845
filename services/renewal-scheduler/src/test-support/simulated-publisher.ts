// Stands in for intake and the secret-publisher in scheduler tests: applies Certificates and
// completes issuances with real certificates of chosen validity (only public parts reach events).
import { randomUUID } from "node:crypto";
import type { Clock } from "@certplane/domain";
import type { CertificateCommand, CertificateSpecFields, SecretCommand } from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import { createCsr, generatePrivateKey, keyIdentifier, renewalTime, signCertificate } from "@certplane/pki";
import { AggregateRunner, type CommandContext } from "@certplane/runtime";

export const NAMESPACE = "default";
const user: CommandContext = { correlationId: "test", causationId: "test", actor: "user" };

export class SimulatedControlPlane {
  readonly store: MemoryEventStore;
  readonly runner: AggregateRunner;
  readonly #clock: Clock;

  constructor(clock: Clock, store = new MemoryEventStore({ clock })) {
    this.#clock = clock;
    this.store = store;
    this.runner = new AggregateRunner({ store, clock, newId: randomUUID });
  }

  async apply(name: string, spec: Partial<CertificateSpecFields> = {}): Promise<void> {
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
    const cert = await this.certificate(name);
    const requestName = cert.issuing?.requestName;
    if (!requestName) throw new Error(`certificate ${name} is not issuing`);
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
    const command: CertificateCommand = {
      type: "RecordIssued",
      requestName,
      serialNumber,
      notBefore: now.toISOString(),
      notAfter: notAfter.toISOString(),
      renewalTime: renewalTime({ notBefore: now, notAfter }).toISOString(),
      now: now.toISOString(),
    };
    await this.runner.execute(streams.certificate(NAMESPACE, name), certificateDecider, command, user);
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
          "certplane.io/private-key-id": privateKeyId,
        },
      },
      now: this.#clock.now().toISOString(),
    };
    await this.runner.execute(streams.secret(NAMESPACE, `${name}-tls`), secretDecider, command, user);
  }

  async fail(name: string): Promise<void> {
    const cert = await this.certificate(name);
    const requestName = cert.issuing?.requestName ?? "";
    await this.runner.execute(
      streams.certificate(NAMESPACE, name),
      certificateDecider,
      {
        type: "RecordIssuanceFailed",
        requestName,
        reason: "Failed",
        message: "issuer said no",
        now: this.#clock.now().toISOString(),
      },
      user,
    );
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

/** Polls `condition` until it holds or the deadline passes; the scheduler works asynchronously. */
export async function eventually<T>(
  condition: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
