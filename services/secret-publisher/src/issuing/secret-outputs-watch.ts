// Keeps each Certificate's keystores and additional output formats matching its spec and keystore
// passwords between issuances (cert-manager's post-issuance repair of the Secret). A subscription
// from the start, not durable: it indexes which Secrets hold which Certificate's passwords, and once
// caught up brings every Certificate's Secret up to date once (what changed while it was down), then
// each one whose spec or password Secret changes.
import type { RecordedEvent } from "@certplane/domain";
import { isCertplaneError } from "@certplane/domain";
import type { CertificateEvent } from "@certplane/domain/model";
import {
  certificateDecider,
  parseStreamName,
  sameOwner,
  secretDecider,
  streams,
} from "@certplane/domain/model";
import type { EventStore, Subscription } from "@certplane/event-store";
import { parseCertificate } from "@certplane/pki";
import type { CommandContext } from "@certplane/runtime";
import { contextFromEvent, toDomainEvent } from "@certplane/runtime";
import { openPrivateKey, openSealedData, TLS_KEY } from "../keys/sealed-key.ts";
import type { PublisherContext } from "../publisher-context.ts";
import { keystorePasswordStreams, keystorePasswords } from "../secrets/keystore-passwords.ts";
import { certificateOwner } from "../secrets/secret-owners.ts";
import { withCurrentOutputs, writeFinalSecret } from "./final-secret.ts";

export class SecretOutputsWatch {
  readonly #store: EventStore;
  readonly #ctx: PublisherContext;
  /** Password Secret stream → the Certificate streams whose keystores it protects. */
  readonly #passwordUsers = new Map<string, Set<string>>();
  /** Every live Certificate, with the context of its last apply (the cause of a catch-up rewrite). */
  readonly #certificates = new Map<string, CommandContext>();
  readonly #queue = new Map<string, CommandContext>();
  #draining: Promise<void> | undefined;
  #live = false;
  #subscription: Subscription | undefined;

  constructor(store: EventStore, ctx: PublisherContext) {
    this.#store = store;
    this.#ctx = ctx;
  }

  async start(): Promise<void> {
    this.#subscription = await this.#store.subscribe({
      from: "start",
      categories: ["certificate", "secret"],
      handler: async (event) => this.#apply(event),
      onCaughtUp: () => {
        if (this.#live) return;
        this.#live = true;
        for (const [certificate, context] of this.#certificates) this.#enqueue(certificate, context);
      },
    });
  }

  /** Resolves when nothing is waiting. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async stop(): Promise<void> {
    await this.#subscription?.stop();
    this.#queue.clear();
    await this.idle();
  }

  #apply(event: RecordedEvent): void {
    const { category, namespace = "" } = parseStreamName(event.stream);
    const context = contextFromEvent(event, this.#ctx.actor);
    if (category === "secret") {
      if (!this.#live) return;
      for (const certificate of this.#passwordUsers.get(event.stream) ?? [])
        this.#enqueue(certificate, context);
      return;
    }
    const domain = toDomainEvent<CertificateEvent>(event);
    for (const users of this.#passwordUsers.values()) users.delete(event.stream);
    if (domain.type === "CertificateDeleted") {
      this.#certificates.delete(event.stream);
      return;
    }
    if (domain.type !== "CertificateApplied") return;
    this.#certificates.set(event.stream, context);
    for (const secret of keystorePasswordStreams(namespace, domain.data.spec)) {
      const users = this.#passwordUsers.get(secret) ?? new Set<string>();
      users.add(event.stream);
      this.#passwordUsers.set(secret, users);
    }
    if (this.#live) this.#enqueue(event.stream, context);
  }

  #enqueue(certificateStream: string, context: CommandContext): void {
    this.#queue.set(certificateStream, context);
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
  }

  async #drain(): Promise<void> {
    for (const [certificateStream, context] of this.#queue) {
      this.#queue.delete(certificateStream);
      try {
        await reconcileSecretOutputs(this.#ctx, certificateStream, context);
      } catch (error) {
        // Outside an issuance there is no issuance to fail; the Secret keeps what it had, and the
        // next change of the spec or password tries again.
        this.#ctx.logger.error("keystores and output formats not updated", {
          stream: certificateStream,
          error: isCertplaneError(error) ? error.message : error,
        });
      }
    }
  }
}

/** Rewrites the Certificate's Secret when its keystores or output formats no longer match the spec. */
async function reconcileSecretOutputs(
  ctx: PublisherContext,
  certificateStream: string,
  context: CommandContext,
): Promise<void> {
  const { namespace = "" } = parseStreamName(certificateStream);
  const { state: certificate } = await ctx.runner.load(certificateStream, certificateDecider);
  // While issuing, the next Secret is written with the spec as it is then.
  if (certificate.status !== "active" || certificate.phase.kind === "issuing") return;
  const ref = { namespace, name: certificate.spec.secretName };
  const secretStream = streams.secret(namespace, ref.name);
  const { state: secret } = await ctx.runner.load(secretStream, secretDecider);
  if (secret.status !== "present" || !sameOwner(secret.owner, certificateOwner(certificate.meta))) return;
  const key = openPrivateKey(ctx.kek, ref, secret.content);
  const chainPem = secret.content.data["tls.crt"];
  if (key === undefined || chainPem === undefined) return;
  const keyPem = openSealedData(ctx.kek, ref, secret.content)[TLS_KEY] ?? "";
  const passwords = await keystorePasswords(
    ctx,
    { namespace, name: certificate.meta.name },
    certificate.spec,
  );
  const wanted = withCurrentOutputs(
    ctx,
    certificate,
    ref,
    secret.content,
    {
      keyPem,
      key,
      chainPem,
      caPem: secret.content.data["ca.crt"],
      issuedAt: parseCertificate(chainPem, `${ref.namespace}/${ref.name} tls.crt`).notBefore,
    },
    passwords,
  );
  await ctx.runner.execute(
    secretStream,
    secretDecider,
    // Built from this version of the Secret: a newer one (a new issuance) is not overwritten.
    (state, now) =>
      state.status === "present" && state.version === secret.version
        ? writeFinalSecret(ctx, certificate, ref, wanted, state, now)
        : undefined,
    context,
  );
}
