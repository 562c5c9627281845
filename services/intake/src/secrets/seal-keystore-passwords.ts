// A keystore's literal `password` protects the private key in every keystore written, so it is
// sealed before the spec is recorded: the event store, read models and `get -o yaml` hold only the
// sealed text. The seal is deterministic, so an unchanged manifest applied again stays unchanged,
// and a spec read back (`get -o yaml`) and applied again keeps the sealed value as it is.
import type { CertificateSpec } from "@certplane/domain";
import { ValidationError } from "@certplane/domain";
import { isSealed, type KeyEncryptionKey, keystorePasswordAad, open, sealDeterministic } from "@certplane/pki";

const KEYSTORE_TYPES = ["jks", "pkcs12"] as const;

function sealedPassword(
  kek: KeyEncryptionKey,
  certificate: { readonly namespace: string; readonly name: string },
  type: (typeof KEYSTORE_TYPES)[number],
  password: string,
): string {
  const aad = keystorePasswordAad(certificate, type);
  if (!isSealed(password)) return sealDeterministic(kek, password, aad);
  try {
    open(kek, password, aad);
  } catch (cause) {
    throw new ValidationError(
      [
        {
          field: `spec.keystores.${type}.password`,
          rule: "sealedElsewhere",
          message:
            "holds a sealed value that does not open for this Certificate under this control plane's " +
            "key-encryption key: write the password itself, or use passwordSecretRef",
        },
      ],
      { cause },
    );
  }
  return password;
}

/** The spec with every literal keystore password sealed for `certificate`. */
export function sealKeystorePasswords(
  kek: KeyEncryptionKey,
  certificate: { readonly namespace: string; readonly name: string },
  spec: CertificateSpec,
): CertificateSpec {
  const keystores = spec.keystores;
  if (keystores === undefined) return spec;
  const sealed = { ...keystores };
  for (const type of KEYSTORE_TYPES) {
    const keystore = keystores[type];
    if (keystore?.password === undefined) continue;
    sealed[type] = { ...keystore, password: sealedPassword(kek, certificate, type, keystore.password) };
  }
  return { ...spec, keystores: sealed };
}
