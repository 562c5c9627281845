export type {
  CertificateSigner,
  SignCertificateInput,
  SignedCertificate,
} from "./certificate-builder.ts";
export { signCertificate } from "./certificate-builder.ts";
export type { CertificateEncoder, CertificateToSign } from "./certificate-encoder.ts";
export type { CertificateTemplate, TemplateParameters } from "./certificate-template.ts";
export { certificateTemplateFromCsr, DEFAULT_DURATION_MS } from "./certificate-template.ts";
export type { CertificateView } from "./certificate-view.ts";
export { parseCertificate, parseCertificateChain } from "./certificate-view.ts";
export type { ChainFailureReason, ChainVerification } from "./chain-verification.ts";
export { verifyChain } from "./chain-verification.ts";
export type { CsrTemplate, ParsedCsr, RequestedExtension } from "./csr.ts";
export { createCsr, parseCsr, verifyCsrSignature } from "./csr.ts";
export { derCertificateEncoder } from "./der-certificate-encoder.ts";
export type { DistinguishedName, LiteralAttribute, SubjectFields } from "./distinguished-name.ts";
export { decodeName, encodeLiteralSubject, encodeName } from "./distinguished-name.ts";
export type { JksInput, JksKeyEntry, JksTrustedEntry } from "./jks-keystore.ts";
export { encodeJks } from "./jks-keystore.ts";
export type { KekSource } from "./kek-file.ts";
export { loadKeyEncryptionKey } from "./kek-file.ts";
export { KEK_BYTES, KeyEncryptionKey } from "./key-encryption-key.ts";
export { keyIdentifier } from "./key-identifier.ts";
export type {
  EcCurve,
  KeyAlgorithm,
  KeyDescription,
  KeyEncoding,
  KeyOrCertificate,
  KeySpec,
} from "./keys.ts";
export {
  DEFAULT_ECDSA_SIZE,
  DEFAULT_RSA_SIZE,
  describeKey,
  encodePrivateKeyPem,
  generatePrivateKey,
  keyMatchesSpec,
  parsePrivateKeyPem,
  publicKeysMatch,
  toPublicKey,
} from "./keys.ts";
export type { NameConstraintItems, NameConstraintsSpec } from "./name-constraints.ts";
export { combinedPem, privateKeyDer } from "./output-formats.ts";
export { peculiarCertificateEncoder } from "./peculiar-certificate-encoder.ts";
export type { PemBlock } from "./pem.ts";
export { pemBlocks, splitPemChain, toPem } from "./pem.ts";
export type { Pkcs12KeystoreInput, Pkcs12Profile, Pkcs12TruststoreInput } from "./pkcs12-keystore.ts";
export { encodePkcs12Keystore, encodePkcs12Truststore } from "./pkcs12-keystore.ts";
export type { RenewalTimeInput } from "./renewal-time.ts";
export { renewalTime } from "./renewal-time.ts";
export { isSealed, keystorePasswordAad, open, seal, sealDeterministic, secretValueAad } from "./sealing.ts";
export { seededRandom } from "./seeded-random.ts";
export type { RandomSource } from "./serial-number.ts";
export { randomSerialNumber } from "./serial-number.ts";
export type { SignatureAlgorithm } from "./signature-algorithm.ts";
export { signatureAlgorithmFor } from "./signature-algorithm.ts";
export type { EncodedUsages, Usage } from "./usages.ts";
export { ALL_USAGES, DEFAULT_USAGES, decodeUsages, encodeUsages, isUsage } from "./usages.ts";
export type { OtherName, SubjectAltNames } from "./x509-extensions.ts";
