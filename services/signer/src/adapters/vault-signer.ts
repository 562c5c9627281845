import type { Clock } from "@certplane/domain";
import { CertplaneError, NotFoundError, type VaultIssuer } from "@certplane/domain";
import { parseCertificateChain } from "@certplane/pki";
import type { Logger } from "@certplane/runtime";
import { VaultRefusedError } from "@certplane/runtime";
import type { SecretReader } from "../secret-reader.ts";
import type { IssuerView, Readiness, SecretRef, Signer, SignOutcome, SignRequest } from "../signer.ts";
import { rejection } from "../signing/signing.ts";
import type { ServiceAccountTokens } from "./vault/service-account-tokens.ts";
import { signParameters, signPath } from "./vault/sign-parameters.ts";
import {
  type ClientCertificate,
  type VaultAnswer,
  VaultClient,
  type VaultConnection,
} from "./vault/vault-client.ts";
import {
  authMethodOf,
  describeAuth,
  secretOf,
  type UsableAuth,
  VaultCredentials,
} from "./vault/vault-credentials.ts";

/** One signing call: everything resolved before the first Vault request. */
interface SigningCall {
  readonly request: SignRequest;
  readonly client: VaultClient;
  readonly scope: string;
  readonly auth: UsableAuth;
  readonly path: string;
  readonly parameters: Record<string, string>;
}

// cert-manager's wording (pkg/issuer/vault/setup.go and sign.go).
const clientInitFailed = "Failed to initialize Vault client";
const signingInitFailed = "Failed to initialise vault client for signing";
const signingFailed = "Vault failed to sign certificate";

/**
 * cert-manager's Vault issuer through node-vault: ready when its auth works against the server;
 * signs by sending the request's CSR to the PKI mount. Vault's refusals become the request's
 * outcome; a Vault that cannot answer (5xx, sealed, unreachable) throws a TransientError to retry.
 */
export class VaultSigner implements Signer {
  readonly #secrets: SecretReader;
  readonly #credentials: VaultCredentials;
  readonly #logger: Logger;

  /**
   * `serviceAccountTokens`: the Kubernetes TokenRequest API for `auth.kubernetes.serviceAccountRef`;
   * without it such issuers are not Ready and say which setting provides it.
   */
  constructor(options: {
    secrets: SecretReader;
    clock: Clock;
    logger: Logger;
    serviceAccountTokens?: ServiceAccountTokens | undefined;
  }) {
    this.#secrets = options.secrets;
    this.#credentials = new VaultCredentials({
      secrets: options.secrets,
      clock: options.clock,
      ...(options.serviceAccountTokens ? { serviceAccountTokens: options.serviceAccountTokens } : {}),
    });
    this.#logger = options.logger;
  }

  secretsOf(issuer: IssuerView): readonly SecretRef[] {
    const vault = vaultOf(issuer);
    const auth = authMethodOf(vault, issuer);
    const credential = auth.kind === "unusable" ? undefined : secretOf(auth);
    const inNamespace = (ref: { name: string } | undefined) =>
      ref ? [{ namespace: issuer.resourceNamespace, name: ref.name }] : [];
    return [
      ...(credential ? [credential] : []),
      ...inNamespace(vault.caBundleSecretRef),
      ...inNamespace(vault.clientCertSecretRef),
      ...inNamespace(vault.clientKeySecretRef),
    ];
  }

  async checkReadiness(issuer: IssuerView): Promise<Readiness> {
    const vault = vaultOf(issuer);
    const auth = authMethodOf(vault, issuer);
    if (auth.kind === "unusable") return notReady(auth.message);
    try {
      const client = new VaultClient(await this.#connection(issuer, vault));
      const token = await this.#credentials.token(client, scopeOf(issuer, vault), auth, { fresh: true });
      // A login proves an AppRole or a Kubernetes role; a static token is only proven by asking
      // Vault about it.
      if (auth.kind === "token") await client.lookupSelf(token);
    } catch (error) {
      return notReady(`${clientInitFailed}: ${refusal(error)}`);
    }
    return { status: "True", reason: "VaultVerified", message: "Vault verified" };
  }

  async sign(request: SignRequest): Promise<SignOutcome> {
    const { issuer } = request;
    const vault = vaultOf(issuer);
    const auth = authMethodOf(vault, issuer);
    if (auth.kind === "unusable") return initPending(auth.message);
    let connection: VaultConnection;
    let parameters: Record<string, string>;
    try {
      connection = await this.#connection(issuer, vault);
      parameters = signParameters(request);
    } catch (error) {
      return initPending(refusal(error));
    }
    return await this.#attempt(
      {
        request,
        client: new VaultClient(connection),
        scope: scopeOf(issuer, vault),
        auth,
        path: signPath(vault.path, request.isCA),
        parameters,
      },
      false,
    );
  }

  /** Vault's 403 may be a token revoked or expired early: log in afresh once, then it is final. */
  async #attempt(call: SigningCall, fresh: boolean): Promise<SignOutcome> {
    let token: string;
    try {
      token = await this.#credentials.token(call.client, call.scope, call.auth, { fresh });
    } catch (error) {
      return initPending(refusal(error));
    }
    let answer: VaultAnswer;
    try {
      answer = await call.client.write(call.path, call.parameters, token);
    } catch (error) {
      if (!(error instanceof VaultRefusedError)) throw error;
      if (error.status === 403 && !fresh) return await this.#attempt(call, true);
      const detail =
        error.status === 403
          ? `${error.message} (Vault refused ${describeAuth(call.auth)}, also after a fresh login)`
          : error.message;
      return { kind: "failed", reason: "SigningError", message: `${signingFailed}: ${detail}` };
    }
    if (answer.warnings.length > 0) {
      // The role's max_ttl caps the lifetime without refusing; the Certificate shows the shorter
      // notAfter, and the request's Ready condition and status.warnings say why.
      this.#logger.warn("Vault signed with warnings", {
        request: `${call.request.namespace}/${call.request.name}`,
        warnings: answer.warnings,
      });
    }
    return issuedFrom(answer);
  }

  async #connection(issuer: IssuerView, vault: VaultIssuer): Promise<VaultConnection> {
    return {
      server: vault.server,
      namespace: vault.namespace || undefined,
      caPem: await this.#caBundle(issuer, vault),
      serverName: vault.serverName || undefined,
      clientCertificate: await this.#clientCertificate(issuer, vault),
    };
  }

  /** cert-manager's clientCertificate(): both refs, keys default tls.crt and tls.key. */
  async #clientCertificate(issuer: IssuerView, vault: VaultIssuer): Promise<ClientCertificate | undefined> {
    const { clientCertSecretRef: certRef, clientKeySecretRef: keyRef } = vault;
    if (!certRef || !keyRef) return undefined;
    const namespace = issuer.resourceNamespace;
    return {
      certificatePem: await this.#credentials.readValue(
        { namespace, name: certRef.name },
        certRef.key || "tls.crt",
      ),
      privateKeyPem: await this.#credentials.readValue(
        { namespace, name: keyRef.name },
        keyRef.key || "tls.key",
      ),
    };
  }

  async #caBundle(issuer: IssuerView, vault: VaultIssuer): Promise<string | undefined> {
    if (vault.caBundle) return Buffer.from(vault.caBundle, "base64").toString("utf8");
    const ref = vault.caBundleSecretRef;
    if (!ref) return undefined;
    const secret = { namespace: issuer.resourceNamespace, name: ref.name };
    const content = await this.#secrets.read(secret);
    const key = ref.key || "ca.crt";
    const pem = content && this.#secrets.value(secret, content, key);
    if (!content) throw new NotFoundError(`secret "${secret.namespace}/${secret.name}" not found`);
    if (!pem) throw new NotFoundError(`no data for "${key}" in secret '${secret.namespace}/${secret.name}'`);
    return pem;
  }
}

// signerFor picks this signer for specs with `vault` only.
function vaultOf(issuer: IssuerView): VaultIssuer {
  return issuer.spec.vault as VaultIssuer;
}

/** Cached tokens belong to one issuer on one server: two issuers never share a login. */
function scopeOf(issuer: IssuerView, vault: VaultIssuer): string {
  return [issuer.kind, issuer.resourceNamespace, issuer.name, vault.server, vault.namespace ?? ""].join("\0");
}

/** A refusal's message; anything that may pass on a retry propagates so the reactor retries it. */
function refusal(error: unknown): string {
  if (error instanceof CertplaneError && !error.retryable) return error.message;
  throw error;
}

const notReady = (message: string): Readiness => ({ status: "False", reason: "VaultError", message });

const initPending = (detail: string): SignOutcome => ({
  kind: "pending",
  reason: "VaultInitError",
  message: `${signingInitFailed}: ${detail}`,
});

/**
 * cert-manager keeps the chain as leaf plus intermediates and reports the chain's last CA (the
 * root, as Vault lists ca_chain from the issuer up) as `ca`.
 */
function issuedFrom(answer: VaultAnswer): SignOutcome {
  const { certificate, issuing_ca: issuingCa, ca_chain: caChain } = answer.data;
  const listed = Array.isArray(caChain) ? caChain.filter((pem) => typeof pem === "string") : [];
  const chainPems = listed.length > 0 ? listed : typeof issuingCa === "string" ? [issuingCa] : [];
  try {
    const chain = parseCertificateChain([certificate, ...chainPems].join("\n"), "certificate");
    const [leaf, ...cas] = chain;
    if (!leaf || typeof certificate !== "string") {
      return {
        kind: "failed",
        reason: "SigningError",
        message: `${signingFailed}: Vault returned no certificate`,
      };
    }
    const intermediates = cas.filter((ca) => ca.subject.dn !== ca.issuer.dn);
    return {
      kind: "issued",
      certificate: [leaf, ...intermediates].map((c) => c.pem).join(""),
      ca: cas.at(-1)?.pem ?? "",
      ...(answer.warnings.length > 0 ? { warnings: answer.warnings } : {}),
    };
  } catch (error) {
    return rejection(error, {
      reason: "SigningError",
      message: `${signingFailed}: Vault's answer did not decode`,
    });
  }
}
