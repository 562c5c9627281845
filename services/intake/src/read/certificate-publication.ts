// Where a Certificate's Secret has been published: joined at read time from the targets that select
// it and the secret-publisher's publication streams, so Ready stays about issuance alone.
import type { ActiveCertificate, CertificatePublication } from "@certplane/domain/model";
import { certificatePublication, streams, targetSelects } from "@certplane/domain/model";
import type { ReadModel } from "./read-model.ts";

/** The active SecretTargets that receive this Certificate's Secret, by name. */
export function targetsOf(readModel: ReadModel, certificate: ActiveCertificate): string[] {
  const namespace = certificate.meta.namespace ?? "default";
  const selectable = {
    namespace,
    labels: certificate.meta.labels,
    annotations: certificate.meta.annotations,
  };
  return [...readModel.secretTargets.entries()]
    .flatMap(([, target]) =>
      target.status === "active" && targetSelects({ name: target.meta.name, spec: target.spec }, selectable)
        ? [target.meta.name]
        : [],
    )
    .sort();
}

export function publicationOfCertificate(
  readModel: ReadModel,
  certificate: ActiveCertificate,
  now: Date,
): CertificatePublication {
  const namespace = certificate.meta.namespace ?? "default";
  const secretName = certificate.spec.secretName;
  const expectedTargets = targetsOf(readModel, certificate);
  const publications = new Map(
    expectedTargets.flatMap((target) => {
      const state = readModel.publications.get(streams.publication(namespace, secretName, target));
      return state === undefined ? [] : [[target, state] as const];
    }),
  );
  const secret = readModel.secrets.get(streams.secret(namespace, secretName));
  return certificatePublication({
    expectedTargets,
    publications,
    currentSecretVersion: secret?.status === "present" ? secret.version : undefined,
    revisionOfSerial: (serial) => certificate.history.find((r) => r.serialNumber === serial)?.revision,
    observedGeneration: certificate.meta.generation,
    now: now.toISOString(),
  });
}
