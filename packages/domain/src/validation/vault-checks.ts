// Vault issuer rules (cert-manager's ValidateVaultIssuerConfig / ValidateVaultIssuerAuth, model §3.3).
import type { VaultIssuer } from "../resources/issuer.ts";
import { caBundleWithoutCertificate } from "./ca-bundle.ts";
import type { HasIssuerSpec } from "./has-issuer-spec.ts";
import { onIssuerType, required } from "./issuer-rule.ts";
import type { PolicyCheck, Violation } from "./policy-check.ts";

/** cert-manager's list, in the order its "please supply one of" names them. */
const AUTH_METHODS = ["appRole", "kubernetes", "tokenSecretRef", "clientCertificate", "aws"] as const;

const AUTH = "spec.vault.auth";
const DOT_DOT = "must not contain '..' path segments";

const onVault = (name: string, rule: (vault: VaultIssuer) => Violation[]) =>
  onIssuerType("vault", name, rule);

/** cert-manager's containsDotDotSegment: a literal `..` segment only, so `a//b/` still passes. */
function dotDotSegment(path: string | undefined, field: string): Violation[] {
  return path?.split("/").includes("..") ? [{ field, message: DOT_DOT }] : [];
}

const connectionChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  onVault("vaultServerMissing", (vault) => (vault.server === "" ? required("spec.vault.server") : [])),
  onVault("vaultPathMissing", (vault) => (vault.path === "" ? required("spec.vault.path") : [])),
  onVault("vaultPathTraversal", (vault) => dotDotSegment(vault.path, "spec.vault.path")),
  onVault("vaultCaBundleWithoutCertificate", (vault) =>
    caBundleWithoutCertificate(vault.caBundle, "spec.vault.caBundle"),
  ),
  onVault("vaultCaBundleWithSecretRef", (vault) =>
    vault.caBundle && vault.caBundleSecretRef !== undefined
      ? [
          {
            field: "spec.vault.caBundle",
            message: "specified caBundle and caBundleSecretRef cannot be used together",
          },
          {
            field: "spec.vault.caBundleSecretRef",
            message: "specified caBundleSecretRef and caBundle cannot be used together",
          },
        ]
      : [],
  ),
  onVault("vaultClientCertificatePairIncomplete", ({ clientCertSecretRef, clientKeySecretRef }) => {
    if (clientCertSecretRef !== undefined && clientKeySecretRef === undefined) {
      return [
        {
          field: "spec.vault.clientKeySecretRef",
          message: "clientKeySecretRef must be provided when defining the clientCertSecretRef",
        },
      ];
    }
    return clientCertSecretRef === undefined && clientKeySecretRef !== undefined
      ? [
          {
            field: "spec.vault.clientCertSecretRef",
            message: "clientCertSecretRef must be provided when defining the clientKeySecretRef",
          },
        ]
      : [];
  }),
];

const authChecks: readonly PolicyCheck<HasIssuerSpec>[] = [
  onVault("vaultAuthMissing", ({ auth }) =>
    AUTH_METHODS.some((method) => auth[method] !== undefined)
      ? []
      : required(AUTH, `please supply one of: ${AUTH_METHODS.join(", ")}`),
  ),
  // cert-manager's webhook lets several through for old manifests, and its controller then marks the
  // issuer not Ready with this message; certplane's signer refuses them the same way, so say it now.
  onVault("vaultAuthNotUnique", ({ auth }) =>
    AUTH_METHODS.filter((method) => auth[method] !== undefined).length > 1
      ? [{ field: AUTH, message: "Multiple auth methods cannot be set on the same Vault issuer" }]
      : [],
  ),
  onVault("vaultAppRoleIncomplete", ({ auth: { appRole } }) =>
    appRole === undefined
      ? []
      : [
          ...(appRole.roleId === "" ? required(`${AUTH}.appRole.roleId`) : []),
          ...(appRole.secretRef.name === "" ? required(`${AUTH}.appRole.secretRef.name`) : []),
          ...dotDotSegment(appRole.path, `${AUTH}.appRole.path`),
        ],
  ),
  onVault("vaultClientCertificateMountPathTraversal", ({ auth: { clientCertificate } }) =>
    dotDotSegment(clientCertificate?.mountPath, `${AUTH}.clientCertificate.mountPath`),
  ),
  onVault("vaultKubernetesIncomplete", ({ auth: { kubernetes } }) =>
    kubernetes === undefined
      ? []
      : [
          ...(kubernetes.role === "" ? required(`${AUTH}.kubernetes.role`) : []),
          ...dotDotSegment(kubernetes.mountPath, `${AUTH}.kubernetes.mountPath`),
          ...(kubernetes.serviceAccountRef?.name === ""
            ? required(`${AUTH}.kubernetes.serviceAccountRef.name`)
            : []),
        ],
  ),
  onVault("vaultKubernetesCredentialsNotExactlyOne", ({ auth: { kubernetes } }) => {
    // Vault's Kubernetes auth checks a JWT: a stored token (secretRef) or one certplane asks for on
    // the named service account's behalf (serviceAccountRef), never both.
    if (kubernetes === undefined) return [];
    const sources =
      Number(Boolean(kubernetes.secretRef?.name)) + Number(kubernetes.serviceAccountRef !== undefined);
    if (sources === 1) return [];
    return sources === 0
      ? required(
          `${AUTH}.kubernetes`,
          "Required value: please supply one of: secretRef, serviceAccountRef " +
            "(e.g. serviceAccountRef: {name: vault-issuer} for a bound token of that service account)",
        )
      : [
          {
            field: `${AUTH}.kubernetes`,
            message: "Forbidden: please supply one of: secretRef, serviceAccountRef",
          },
        ];
  }),
  onVault("vaultAwsIncomplete", ({ auth: { aws } }) =>
    aws === undefined
      ? []
      : [
          ...(aws.role === "" ? required(`${AUTH}.aws.role`) : []),
          ...dotDotSegment(aws.mountPath, `${AUTH}.aws.mountPath`),
          ...(aws.serviceAccountRef?.name === "" ? required(`${AUTH}.aws.serviceAccountRef.name`) : []),
          ...(aws.serviceAccountRef !== undefined && !aws.iamRoleArn
            ? required(
                `${AUTH}.aws.iamRoleArn`,
                "iamRoleArn is required when using serviceAccountRef for IRSA",
              )
            : []),
        ],
  ),
];

export const vaultChecks: readonly PolicyCheck<HasIssuerSpec>[] = [...connectionChecks, ...authChecks];
