// The private key and how it signs (model §1.1 privateKey.*, signatureAlgorithm).
import type { Certificate, PrivateKeyAlgorithm, SignatureAlgorithm } from "../resources/certificate.ts";
import type { PolicyCheck } from "./policy-check.ts";

const RSA_MIN_BITS = 2048;
const RSA_MAX_BITS = 8192;
const ECDSA_CURVE_BITS = [256, 384, 521];

const signatureAlgorithmsByKey: Readonly<Record<PrivateKeyAlgorithm, readonly SignatureAlgorithm[]>> = {
  RSA: ["SHA256WithRSA", "SHA384WithRSA", "SHA512WithRSA"],
  ECDSA: ["ECDSAWithSHA256", "ECDSAWithSHA384", "ECDSAWithSHA512"],
  Ed25519: ["PureEd25519"],
};

const quoted = (values: readonly unknown[]) => values.map((v) => `"${v}"`).join(", ");

export const certificateKeyChecks: readonly PolicyCheck<Certificate>[] = [
  {
    name: "rsaKeySizeOutOfRange",
    check: ({ spec: { privateKey } }) => {
      // A size without an algorithm is an RSA size.
      const size = privateKey?.size ?? 0;
      if ((privateKey?.algorithm ?? "RSA") !== "RSA" || size === 0) return [];
      return size < RSA_MIN_BITS || size > RSA_MAX_BITS
        ? [{ field: "spec.privateKey.size", message: "must be between 2048 and 8192 for rsa keyAlgorithm" }]
        : [];
    },
  },
  {
    name: "ecdsaKeySizeNotSupported",
    check: ({ spec: { privateKey } }) => {
      const size = privateKey?.size ?? 0;
      if (privateKey?.algorithm !== "ECDSA" || size === 0 || ECDSA_CURVE_BITS.includes(size)) return [];
      return [
        {
          field: "spec.privateKey.size",
          message: `Unsupported value: ${size}: supported values: ${quoted(ECDSA_CURVE_BITS)}`,
        },
      ];
    },
  },
  {
    name: "signatureAlgorithmNotForKeyAlgorithm",
    check: ({ spec: { privateKey, signatureAlgorithm } }) => {
      if (signatureAlgorithm === undefined) return [];
      const keyAlgorithm = privateKey?.algorithm ?? "RSA";
      const allowed = signatureAlgorithmsByKey[keyAlgorithm];
      return allowed.includes(signatureAlgorithm)
        ? []
        : [
            {
              field: "spec.signatureAlgorithm",
              message: `Unsupported value: "${signatureAlgorithm}": supported values for ${keyAlgorithm} keys: ${quoted(allowed)}`,
            },
          ];
    },
  },
];
