import type { ApiCaller, CreateTlsSecretRequest, CreateTlsSecretResponse } from "@certplane/api";
import { inProcessCaller } from "@certplane/api";
import { ValidationError, validateResource } from "@certplane/domain";
import { apiCommandContext, type IntakeContext } from "../intake-context.ts";
import { importTlsSecretStep } from "../secrets/import-tls-secret.ts";
import { tlsSecretType } from "../secrets/secret-manifest.ts";
import { tlsPairIssues } from "../secrets/tls-pair.ts";

const requestFields = { certificate: "certificatePem", privateKey: "privateKeyPem", ca: "caPem" };

/** kubectl create secret tls: the pair must parse and match; the key is sealed before it is stored. */
export async function createTlsSecret(
  context: IntakeContext,
  request: CreateTlsSecretRequest,
  caller?: ApiCaller,
): Promise<CreateTlsSecretResponse> {
  const pair = {
    certificatePem: request.certificatePem,
    privateKeyPem: request.privateKeyPem,
    ...(request.caPem ? { caPem: request.caPem } : {}),
  };
  // The Secret's own rules (names) come from the same validation as a manifest; the key is left out of it.
  const shape = validateResource({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: request.name, namespace: request.namespace },
    type: tlsSecretType,
    stringData: { "tls.crt": pair.certificatePem, "tls.key": "" },
  });
  const issues = [...(shape.ok ? [] : shape.error.issues), ...tlsPairIssues(pair, requestFields)];
  if (issues.length > 0) throw new ValidationError(issues);

  const step = importTlsSecretStep(
    { kek: context.kek, random: context.random },
    (caller ?? inProcessCaller).actor,
    {
      ...pair,
      name: request.name,
      namespace: request.namespace,
    },
  );
  return { outcome: await step.apply(context, apiCommandContext(context, caller)) };
}
