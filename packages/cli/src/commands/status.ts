import type { ResourceObject } from "@certplane/api";
import { isCertplaneError } from "@certplane/domain";
import { type Command, rejectExtraWords, requireWord } from "../command.ts";
import { certificateStatusView, type Read } from "../format/certificate-status-view.ts";
import { resolveKind } from "../kinds.ts";

const usage = "certctl status certificate NAME [-n NAMESPACE]";

/**
 * cmctl's `status certificate`: the Certificate with its issuer, Secret, current request and, for
 * ACME, that request's Order and Challenges, from the describe and inspect operations.
 */
export const statusCommand: Command = {
  name: "status",
  usage,
  flags: ["namespace"],
  async run(context) {
    resolveKind(context.words[0], ["Certificate"]);
    const name = requireWord(context, 1, "NAME", usage);
    rejectExtraWords(context, 2, usage);
    const api = await context.api();
    const namespace = context.namespace;
    const certificate = await api.describe({ kind: "Certificate", name, namespace });
    const issuerRef = issuerRefOf(certificate.object);
    const secretName = secretNameOf(certificate.object);
    const [issuer, secret] = await Promise.all([
      attempt(() =>
        api.describe({
          kind: issuerRef.kind,
          name: issuerRef.name,
          ...(issuerRef.kind === "Issuer" ? { namespace } : {}),
        }),
      ),
      attempt(() => api.inspectSecret({ name: secretName, namespace })),
    ]);
    context.io.stdout.write(
      certificateStatusView({
        certificate,
        issuer: { ...issuerRef, read: issuer },
        secret: { name: secretName, read: secret },
      }),
    );
    return 0;
  },
};

/** cert-manager defaults issuerRef.kind to Issuer. */
function issuerRefOf(certificate: ResourceObject): { kind: "Issuer" | "ClusterIssuer"; name: string } {
  const ref = (certificate.spec as { issuerRef?: { name?: string; kind?: string } } | undefined)?.issuerRef;
  return { kind: ref?.kind === "ClusterIssuer" ? "ClusterIssuer" : "Issuer", name: ref?.name ?? "" };
}

function secretNameOf(certificate: ResourceObject): string {
  return (certificate.spec as { secretName?: string } | undefined)?.secretName ?? "";
}

/** A missing issuer or Secret is part of the status, not a failure of the command. */
async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (!isCertplaneError(error) || error.code === "UNAVAILABLE") throw error;
    return { ok: false, message: error.message };
  }
}
