// Test support: a signer service over an in-memory store with a fake clock, plus builders for the
// issuers, secrets and requests the other services would write. Used by the specs only.

import type { KeyObject } from "node:crypto";
import { randomBytes, randomUUID } from "node:crypto";
import {
  type CertificateRequestState,
  certificateRequestDecider,
  type IssuerSpecFields,
  type IssuerState,
  issuerDecider,
  requestAnnotations,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import { MemoryEventStore } from "@certplane/event-store";
import {
  createCsr,
  encodePrivateKeyPem,
  generatePrivateKey,
  KeyEncryptionKey,
  randomSerialNumber,
  seal,
  secretValueAad,
  signCertificate,
} from "@certplane/pki";
import {
  AggregateRunner,
  type CommandContext,
  type Logger,
  silentLogger,
  type WorkShare,
} from "@certplane/runtime";
import { startOwnerEndpoints } from "@certplane/runtime/testing";
import { FakeClock, pollUntil } from "@certplane/testing";
import type { ServiceAccountTokens } from "../adapters/vault/service-account-tokens.ts";
import { startSignerService } from "../index.ts";

const context: CommandContext = { correlationId: "test", causationId: "test", actor: "test" };
const random = (size: number) => new Uint8Array(randomBytes(size));

export interface KeyPair {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
}

export const newKey = () => generatePrivateKey({ algorithm: "ECDSA" });

/** A self-signed certificate for `commonName`; a CA unless `isCA` is false. */
export async function selfSignedCertificate(commonName: string, isCA = true): Promise<KeyPair> {
  const privateKey = await newKey();
  const csrPem = await createCsr({ subject: { commonName }, isCA }, privateKey);
  const signed = await signCertificate({
    csrPem,
    isCA,
    notBefore: new Date("2025-01-01T00:00:00Z"),
    duration: 10 * 365 * 24 * 3600 * 1000,
    serialNumber: randomSerialNumber(random),
    signer: { kind: "selfSigned", privateKey },
  });
  return { privateKey, certificatePem: signed.pem };
}

export async function startSignerHarness(
  options: {
    clusterResourceNamespace?: string;
    maxDurationMs?: number;
    logger?: Logger;
    serviceAccountTokens?: ServiceAccountTokens;
    /** One signer instance per share, sharing the work, instead of one alone. */
    workShares?: readonly WorkShare[];
  } = {},
) {
  const clock = new FakeClock("2026-01-01T00:00:00Z");
  const store = new MemoryEventStore({ clock });
  const kek = KeyEncryptionKey.fromBytes(randomBytes(32));
  const runner = new AggregateRunner({ store, clock, newId: randomUUID });
  const config = {
    clusterResourceNamespace: options.clusterResourceNamespace ?? "cert-manager",
    ...(options.maxDurationMs === undefined ? {} : { maxDurationMs: options.maxDurationMs }),
  };
  const owners = await startOwnerEndpoints({ store, clock, newId: randomUUID, except: ["signer"] });
  const startOne = (share?: WorkShare) =>
    startSignerService({
      store,
      bus: owners.bus,
      clock,
      newId: randomUUID,
      logger: options.logger ?? silentLogger,
      kek,
      config,
      ...(options.serviceAccountTokens ? { serviceAccountTokens: options.serviceAccountTokens } : {}),
      ...(share === undefined ? {} : { workShare: share, instance: share.instance }),
    });
  const start = async () => {
    const services = await Promise.all((options.workShares ?? [undefined]).map(startOne));
    return { stop: async () => void (await Promise.all(services.map((one) => one.stop()))) };
  };
  let service = await start();

  /** A user's Secret as intake stores it: public values as they are, private ones sealed one by one. */
  const writeUserSecret = async (
    namespace: string,
    name: string,
    type: string,
    values: { public: Record<string, string>; sealed: Record<string, string> },
  ) => {
    const ref = { namespace, name };
    const sealedData = Object.fromEntries(
      Object.entries(values.sealed).map(([key, value]) => [
        key,
        seal(kek, value, secretValueAad(ref, key), random),
      ]),
    );
    await runner.execute(
      streams.secret(namespace, name),
      secretDecider,
      {
        type: "WriteSecret",
        name,
        namespace,
        owner: { kind: "User", actor: "test" },
        content: { type, data: values.public, sealedData },
        now: clock.now().toISOString(),
      },
      context,
    );
  };

  const harness = {
    store,
    clock,
    runner,

    async applyIssuer(
      ref: { kind: "Issuer" | "ClusterIssuer"; name: string; namespace?: string },
      spec: IssuerSpecFields,
    ) {
      const stream = harness.issuerStream(ref);
      await runner.execute(
        stream,
        issuerDecider,
        {
          type: "ApplyIssuer",
          name: ref.name,
          ...(ref.kind === "Issuer" ? { namespace: ref.namespace ?? "default" } : {}),
          spec,
          uid: randomUUID(),
          now: clock.now().toISOString(),
        },
        context,
      );
      return stream;
    },

    issuerStream(ref: { kind: "Issuer" | "ClusterIssuer"; name: string; namespace?: string }) {
      return ref.kind === "ClusterIssuer"
        ? streams.clusterIssuer(ref.name)
        : streams.issuer(ref.namespace ?? "default", ref.name);
    },

    async writeTlsSecret(
      namespace: string,
      name: string,
      content: { certificatePem?: string; privateKey?: KeyObject; caPem?: string },
    ) {
      await writeUserSecret(namespace, name, "kubernetes.io/tls", {
        public: {
          ...(content.certificatePem ? { "tls.crt": content.certificatePem } : {}),
          ...(content.caPem ? { "ca.crt": content.caPem } : {}),
        },
        sealed: content.privateKey ? { "tls.key": encodePrivateKeyPem(content.privateKey, "PKCS8") } : {},
      });
    },

    /** A generic Secret as intake imports one a user applied: every value sealed on its own. */
    async writeOpaqueSecret(namespace: string, name: string, entries: Record<string, string>) {
      await writeUserSecret(namespace, name, "Opaque", { public: {}, sealed: entries });
    },

    async createRequest(
      namespace: string,
      name: string,
      spec: {
        request: string;
        issuerRef: { name: string; kind?: string; group?: string };
        isCA?: boolean;
        duration?: string;
        usages?: string[];
      },
      annotations: Record<string, string> = {},
    ) {
      await runner.execute(
        streams.certificateRequest(namespace, name),
        certificateRequestDecider,
        {
          type: "CreateCertificateRequest",
          meta: {
            name,
            namespace,
            uid: randomUUID(),
            generation: 1,
            creationTimestamp: clock.now().toISOString(),
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
          },
          spec,
          now: clock.now().toISOString(),
        },
        context,
      );
    },

    async approve(namespace: string, name: string) {
      await runner.execute(
        streams.certificateRequest(namespace, name),
        certificateRequestDecider,
        {
          type: "ApproveCertificateRequest",
          reason: "cert-manager.io",
          message: "Certificate request has been approved by cert-manager.io",
          now: clock.now().toISOString(),
        },
        context,
      );
    },

    /** A request for a Certificate's next key, as the request manager creates it; approved unless told. */
    async requestWithNextKey(
      namespace: string,
      name: string,
      issuerRef: { name: string; kind?: string },
      options: {
        commonName?: string;
        isCA?: boolean;
        approve?: boolean;
        duration?: string;
        dnsNames?: string[];
      } = {},
    ) {
      const privateKey = await newKey();
      const keySecret = `${name}-next-key`;
      await harness.writeTlsSecret(namespace, keySecret, { privateKey });
      const request = await createCsr(
        {
          subject: { commonName: options.commonName ?? name },
          ...(options.dnsNames ? { dnsNames: options.dnsNames } : {}),
          isCA: options.isCA ?? false,
        },
        privateKey,
      );
      await harness.createRequest(
        namespace,
        name,
        {
          request,
          issuerRef,
          ...(options.isCA ? { isCA: true } : {}),
          ...(options.duration ? { duration: options.duration } : {}),
        },
        { [requestAnnotations.privateKeySecretName]: keySecret },
      );
      if (options.approve ?? true) await harness.approve(namespace, name);
      return { privateKey };
    },

    async request(namespace: string, name: string): Promise<CertificateRequestState> {
      return (await runner.load(streams.certificateRequest(namespace, name), certificateRequestDecider))
        .state;
    },

    async issuer(stream: string): Promise<IssuerState> {
      return (await runner.load(stream, issuerDecider)).state;
    },

    async eventTypes(stream: string): Promise<string[]> {
      return (await store.read(stream)).events.map((event) => event.type);
    },

    /** Polls until `check` returns a value, or fails after the deadline naming `description`. */
    until<T>(description: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
      return pollUntil(check, { what: description, timeoutMs });
    },

    /** Restarts the service with its checkpoints erased, so it receives every event again. */
    async redeliverEverything() {
      await service.stop();
      store.log.saveCheckpoint("signer-issuer-readiness", 0);
      store.log.saveCheckpoint("signer-signing", 0);
      service = await start();
    },

    async stop() {
      await service.stop();
      await owners.stop();
      await store.close();
    },
  };
  return harness;
}

export type SignerHarness = Awaited<ReturnType<typeof startSignerHarness>>;
