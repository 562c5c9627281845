import { isCertplaneError } from "@certplane/domain";
import type { IssuerStatusCommand } from "@certplane/domain/model";
import { objectStreamsOf } from "@certplane/domain/model";
import type { KeyEncryptionKey } from "@certplane/pki";
import { encodePrivateKeyPem } from "@certplane/pki";
import type { AggregateRunner, CommandContext, Logger, OwnerCommandSender } from "@certplane/runtime";
import type { AcmeClient, AcmeClientFactory } from "../acme-client.ts";
import type { AcmeIssuerView } from "../acme-issuer.ts";
import { accountKey, eabHmacKey, publicKeyHash } from "./account-key.ts";

/**
 * One registered ACME client per issuer generation. Registering records cert-manager's
 * status.acme and the Ready condition (ACMEAccountRegistered / ErrRegisterACMEAccount).
 */
export class AcmeAccounts {
  readonly #runner: AggregateRunner;
  readonly #commands: OwnerCommandSender;
  readonly #kek: KeyEncryptionKey;
  readonly #factory: AcmeClientFactory;
  readonly #logger: Logger;
  readonly #clients = new Map<string, Promise<AcmeClient>>();

  constructor(options: {
    runner: AggregateRunner;
    commands: OwnerCommandSender;
    kek: KeyEncryptionKey;
    clientFactory: AcmeClientFactory;
    logger: Logger;
  }) {
    this.#runner = options.runner;
    this.#commands = options.commands;
    this.#kek = options.kek;
    this.#factory = options.clientFactory;
    this.#logger = options.logger;
  }

  clientFor(issuer: AcmeIssuerView, context: CommandContext): Promise<AcmeClient> {
    const key = `${issuer.stream}@${issuer.issuer.meta.generation}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = this.#register(issuer, context);
      this.#clients.set(key, client);
      client.catch(() => this.#clients.delete(key));
    }
    return client;
  }

  async #register(issuer: AcmeIssuerView, context: CommandContext): Promise<AcmeClient> {
    const generation = issuer.issuer.meta.generation;
    try {
      const key = await accountKey(this.#runner, this.#commands, this.#kek, issuer, context);
      const eab = await eabHmacKey(this.#runner, this.#kek, issuer);
      const client = this.#factory({
        directoryUrl: issuer.acme.server,
        accountKeyPem: encodePrivateKeyPem(key, "PKCS8"),
        ...(issuer.acme.caBundle ? { caBundlePem: decodeCaBundle(issuer.acme.caBundle) } : {}),
        ...(issuer.acme.skipTLSVerify ? { skipTLSVerify: true } : {}),
        ...(eab ? { externalAccountBinding: eab } : {}),
      });
      const email = issuer.acme.email || undefined;
      const { uri } = await client.register(email ? { email } : {});
      await this.#tellSigner(
        issuer,
        {
          type: "RecordAcmeAccount",
          uri,
          ...(email ? { lastRegisteredEmail: email } : {}),
          lastPrivateKeyHash: publicKeyHash(key),
          now: this.#runner.clock.now().toISOString(),
        },
        context,
      );
      await this.#setReady(
        issuer,
        generation,
        "True",
        "ACMEAccountRegistered",
        "The ACME account was registered with the ACME server",
        context,
      );
      return client;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#logger.warn("ACME account registration failed", { issuer: issuer.stream, error });
      if (!isCertplaneError(error) || error.code !== "CONCURRENCY") {
        await this.#setReady(
          issuer,
          generation,
          "False",
          "ErrRegisterACMEAccount",
          `Failed to register ACME account: ${message}`,
          context,
        );
      }
      throw error;
    }
  }

  async #setReady(
    issuer: AcmeIssuerView,
    generation: number,
    status: "True" | "False",
    reason: string,
    message: string,
    context: CommandContext,
  ): Promise<void> {
    await this.#tellSigner(
      issuer,
      {
        type: "SetIssuerReadiness",
        status,
        reason,
        message,
        generation,
        now: this.#runner.clock.now().toISOString(),
      },
      context,
    );
  }

  /** Issuer status belongs to the signer: registration outcomes are sent to it as commands. */
  async #tellSigner(
    issuer: AcmeIssuerView,
    command: IssuerStatusCommand,
    context: CommandContext,
  ): Promise<void> {
    await this.#commands.send(objectStreamsOf(issuer.stream)[1]!, command, context);
  }
}

/** `caBundle` is base64 of PEM in cert-manager's API; accept PEM given as is too. */
function decodeCaBundle(value: string): string {
  return value.includes("-----BEGIN") ? value : Buffer.from(value, "base64").toString("utf8");
}
