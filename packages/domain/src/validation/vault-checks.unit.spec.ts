import { caCertificatePem } from "../testing/pem-fixtures.ts";
import { issuerWith, type RuleRow, ruleTable } from "../testing/rule-table.ts";

const token = { tokenSecretRef: { name: "vault-token" } };
const vault = (patch: Record<string, unknown> = {}, auth: Record<string, unknown> = token) =>
  issuerWith({ vault: { server: "https://vault.example", path: "pki/sign/web", auth, ...patch } });
const bundle = btoa(caCertificatePem);
const A = "spec.vault.auth";
const required = (field: string, message = "must be specified") => ({ field, message });

const rules: Record<string, readonly RuleRow[]> = {
  vaultServerMissing: [
    ["an empty server is refused", vault({ server: "" }), [required("spec.vault.server")]],
  ],
  vaultPathMissing: [["an empty path is refused", vault({ path: "" }), [required("spec.vault.path")]]],
  vaultPathTraversal: [
    ["a doubled slash is not a '..' segment", vault({ path: "pki//sign/web/" }), []],
    [
      "a '..' segment is refused",
      vault({ path: "pki/../sys/sign/web" }),
      [{ field: "spec.vault.path", message: "must not contain '..' path segments" }],
    ],
  ],
  vaultCaBundleWithoutCertificate: [
    ["a PEM certificate passes", vault({ caBundle: bundle }), []],
    [
      "PEM text holding no certificate is refused",
      vault({ caBundle: btoa("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n") }),
      [{ field: "spec.vault.caBundle", message: "cert bundle didn't contain any valid certificates" }],
    ],
  ],
  vaultCaBundleWithSecretRef: [
    [
      "caBundle and caBundleSecretRef together are refused on both",
      vault({ caBundle: bundle, caBundleSecretRef: { name: "vault-ca" } }),
      [
        {
          field: "spec.vault.caBundle",
          message: "specified caBundle and caBundleSecretRef cannot be used together",
        },
        {
          field: "spec.vault.caBundleSecretRef",
          message: "specified caBundleSecretRef and caBundle cannot be used together",
        },
      ],
    ],
  ],
  vaultClientCertificatePairIncomplete: [
    [
      "both halves of the client certificate pass",
      vault({ clientCertSecretRef: { name: "c" }, clientKeySecretRef: { name: "k" } }),
      [],
    ],
    [
      "a client certificate without its key is refused",
      vault({ clientCertSecretRef: { name: "c" } }),
      [
        {
          field: "spec.vault.clientKeySecretRef",
          message: "clientKeySecretRef must be provided when defining the clientCertSecretRef",
        },
      ],
    ],
    [
      "a client key without its certificate is refused",
      vault({ clientKeySecretRef: { name: "k" } }),
      [
        {
          field: "spec.vault.clientCertSecretRef",
          message: "clientCertSecretRef must be provided when defining the clientKeySecretRef",
        },
      ],
    ],
  ],
  vaultAuthMissing: [
    [
      "no auth method is refused with cert-manager's list",
      vault({}, {}),
      [required(A, "please supply one of: appRole, kubernetes, tokenSecretRef, clientCertificate, aws")],
    ],
  ],
  vaultAuthNotUnique: [
    [
      "a token and an AppRole together are refused",
      vault({}, { ...token, appRole: { path: "approle", roleId: "r", secretRef: { name: "s" } } }),
      [{ field: A, message: "Multiple auth methods cannot be set on the same Vault issuer" }],
    ],
  ],
  vaultAppRoleIncomplete: [
    [
      "a complete AppRole passes",
      vault({}, { appRole: { path: "approle", roleId: "r", secretRef: { name: "s" } } }),
      [],
    ],
    [
      "an AppRole without roleId or secret name, on an escaping path, is refused on each",
      vault({}, { appRole: { path: "../approle", roleId: "", secretRef: { name: "" } } }),
      [
        required(`${A}.appRole.roleId`),
        required(`${A}.appRole.secretRef.name`),
        { field: `${A}.appRole.path`, message: "must not contain '..' path segments" },
      ],
    ],
  ],
  vaultClientCertificateMountPathTraversal: [
    [
      "a '..' segment in the mount path is refused",
      vault({}, { clientCertificate: { mountPath: "/v1/auth/../cert" } }),
      [{ field: `${A}.clientCertificate.mountPath`, message: "must not contain '..' path segments" }],
    ],
  ],
  vaultKubernetesIncomplete: [
    [
      "a role and a service account pass",
      vault(
        {},
        { kubernetes: { role: "r", mountPath: "/v1/auth/kubernetes", serviceAccountRef: { name: "sa" } } },
      ),
      [],
    ],
    [
      "no role, an escaping mount path and an unnamed service account are refused on each",
      vault({}, { kubernetes: { role: "", mountPath: "/v1/auth/..", serviceAccountRef: { name: "" } } }),
      [
        required(`${A}.kubernetes.role`),
        { field: `${A}.kubernetes.mountPath`, message: "must not contain '..' path segments" },
        required(`${A}.kubernetes.serviceAccountRef.name`),
      ],
    ],
  ],
  vaultKubernetesCredentialsNotExactlyOne: [
    ["a secretRef alone passes", vault({}, { kubernetes: { role: "r", secretRef: { name: "jwt" } } }), []],
    [
      "neither secretRef nor serviceAccountRef is refused",
      vault({}, { kubernetes: { role: "r" } }),
      [
        required(
          `${A}.kubernetes`,
          "Required value: please supply one of: secretRef, serviceAccountRef " +
            "(e.g. serviceAccountRef: {name: vault-issuer} for a bound token of that service account)",
        ),
      ],
    ],
    [
      "both are refused",
      vault({}, { kubernetes: { role: "r", secretRef: { name: "jwt" }, serviceAccountRef: { name: "sa" } } }),
      [
        {
          field: `${A}.kubernetes`,
          message: "Forbidden: please supply one of: secretRef, serviceAccountRef",
        },
      ],
    ],
  ],
  vaultAwsIncomplete: [
    ["a role alone (ambient IAM) passes", vault({}, { aws: { role: "r" } }), []],
    [
      "a service account without an IAM role ARN, no role and an escaping mount are refused on each",
      vault({}, { aws: { role: "", mountPath: "/v1/auth/../aws", serviceAccountRef: { name: "" } } }),
      [
        required(`${A}.aws.role`),
        { field: `${A}.aws.mountPath`, message: "must not contain '..' path segments" },
        required(`${A}.aws.serviceAccountRef.name`),
        required(`${A}.aws.iamRoleArn`, "iamRoleArn is required when using serviceAccountRef for IRSA"),
      ],
    ],
  ],
};

ruleTable(rules);
