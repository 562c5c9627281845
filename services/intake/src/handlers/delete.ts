import type { ApiCaller, DeleteResponse, ObjectRef } from "@certplane/api";
import { inProcessCaller } from "@certplane/api";
import {
  type Decider,
  type DomainEvent,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "@certplane/domain";
import type { SecretCommand, SecretOwner } from "@certplane/domain/model";
import {
  certificateDecider,
  certificateRequestDecider,
  issuerDecider,
  secretDecider,
  secretTargetDecider,
} from "@certplane/domain/model";
import { planSync, pruneCertificates } from "../ingress/sync-ingress.ts";
import { apiCommandContext, type IntakeContext } from "../intake-context.ts";
import { describeObject, namespaceFor, notFound, requireKnownKind, streamOf } from "../kinds.ts";
import { writeFor } from "../owner-writes.ts";

function describeOwner(owner: SecretOwner): string {
  if (owner.kind === "Certificate") return `Certificate ${owner.name}`;
  if (owner.kind === "NextPrivateKey") return `the issuance of Certificate ${owner.certificateName}`;
  if (owner.kind === "AcmeAccount") return `the ACME account of ${owner.issuer}`;
  return owner.actor;
}

export async function deleteObject(
  context: IntakeContext,
  ref: ObjectRef,
  caller?: ApiCaller,
): Promise<DeleteResponse> {
  const kind = requireKnownKind(ref.kind);
  const namespace = namespaceFor(kind, ref.namespace);
  const commandContext = apiCommandContext(context, caller);
  const remove = async <TCommand extends { readonly type: string }, TEvent extends DomainEvent, TState>(
    decider: Decider<TCommand, TEvent, TState>,
    command: (state: TState, now: string) => TCommand,
  ) => {
    await writeFor(
      context,
      streamOf(kind, ref.name, namespace),
      decider,
      (state, now) => command(state, now.toISOString()),
      commandContext,
    );
    return { deleted: true };
  };
  const missing = () => notFound(kind, ref.name);

  switch (kind) {
    case "Certificate":
      return remove(certificateDecider, (state, now) => {
        if (state.status !== "active") throw missing();
        return { type: "DeleteCertificate", now };
      });
    case "Issuer":
    case "ClusterIssuer":
      return remove(issuerDecider, (state, now) => {
        if (state.status !== "active") throw missing();
        return { type: "DeleteIssuer", now };
      });
    case "CertificateRequest":
      return remove(certificateRequestDecider, (state, now) => {
        if (state.status !== "present") throw missing();
        return { type: "DeleteCertificateRequest", now };
      });
    case "Secret":
      return remove(secretDecider, (state, now): SecretCommand => {
        if (state.status !== "present") throw missing();
        // Deleting a Certificate's Secret is how cert-manager users force a reissue: the renewal
        // scheduler sees it missing and issues again. Internal key material is not for users to remove.
        if (state.owner.kind !== "User" && state.owner.kind !== "Certificate") {
          throw new ForbiddenError(
            `${describeObject("Secret", ref.name, namespace)} is managed by ${describeOwner(state.owner)}; ` +
              "it cannot be deleted directly",
          );
        }
        return { type: "DeleteSecret", reason: "Deleted by user", expectedOwner: state.owner, now };
      });
    case "SecretTarget":
      return remove(secretTargetDecider, (state, now) => {
        if (state.status !== "active") throw missing();
        return { type: "DeleteSecretTarget", now };
      });
    case "Ingress": {
      // Deleting an Ingress in Kubernetes garbage-collects the Certificates the shim made from it.
      const source = { namespace: namespace ?? "default", name: ref.name };
      const plan = await planSync(context, source, []);
      const pruned = await pruneCertificates(context, source.namespace, plan, caller ?? inProcessCaller);
      if (pruned.length === 0) {
        throw new NotFoundError(
          `no Certificates were made from Ingress ${source.namespace}/${ref.name} in certplane (it stores no Ingresses, only the Certificates they imply)`,
        );
      }
      return { deleted: true };
    }
    default:
      throw ValidationError.of("kind", "notSupported", `${kind} objects cannot be deleted through the API`);
  }
}
