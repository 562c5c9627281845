// The only entry to @peculiar/x509: its DI container needs the Reflect metadata polyfill loaded before
// it, and its process-wide crypto provider is set to node's WebCrypto here, once. Callers still pass
// x509Crypto explicitly so nothing depends on that global.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { cryptoProvider } from "@peculiar/x509";

export type { JsonGeneralName } from "@peculiar/x509";
export {
  AuthorityInfoAccessExtension,
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  ExtendedKeyUsageExtension,
  Extension,
  GeneralNames,
  KeyUsagesExtension,
  Name,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from "@peculiar/x509";

export const x509Crypto: webcrypto.Crypto = webcrypto;
cryptoProvider.set(x509Crypto);
