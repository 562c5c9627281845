// What a test needs to run certplane against a nats-server that checks who is connecting: the
// generated authorization block, a password file per service, and TLS certificates issued by
// certplane's own PKI (a CA, the server's certificate, the services' client certificate).
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ServiceName } from "@certplane/domain";
import { services } from "@certplane/domain";
import type { NatsConnectionSettings } from "@certplane/messaging";
import { createCsr, encodePrivateKeyPem, generatePrivateKey, signCertificate } from "@certplane/pki";
import { passwordVariable, serviceInbox } from "@certplane/runtime";
import { repoRoot } from "./service-process.ts";

export interface NatsSecurity {
  /** Lines for startNatsServer's `config`: the checked-in authorization block and mutual TLS. */
  readonly serverConfig: readonly string[];
  /** The server's environment: the passwords its authorization block names. */
  readonly serverEnv: Readonly<Record<string, string>>;
  readonly caFile: string;
  /** A service process's CERTPLANE_NATS_* settings. */
  serviceEnv(service: ServiceName): NodeJS.ProcessEnv;
  /** The same identity for a connection the test opens itself. */
  connection(service: ServiceName): NatsConnectionSettings;
}

async function issueTlsFiles(dir: string): Promise<{ ca: string; server: string; client: string }> {
  const notBefore = new Date(Date.now() - 60_000);
  const caKey = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
  const ca = await signCertificate({
    csrPem: await createCsr({ subject: { commonName: "certplane NATS test CA" }, isCA: true }, caKey),
    isCA: true,
    duration: 24 * 3600 * 1000,
    notBefore,
    serialNumber: "01",
    signer: { kind: "selfSigned", privateKey: caKey },
  });
  const issue = async (name: string, commonName: string, usage: string, serial: string) => {
    const key = await generatePrivateKey({ algorithm: "ECDSA", size: 256 });
    const signed = await signCertificate({
      csrPem: await createCsr(
        { subject: { commonName }, ipAddresses: ["127.0.0.1"], dnsNames: ["localhost"], usages: [usage] },
        key,
      ),
      usages: ["digital signature", "key encipherment", usage],
      duration: 3600 * 1000,
      notBefore,
      serialNumber: serial,
      signer: { kind: "ca", privateKey: caKey, certificatePem: ca.pem },
    });
    await writeFile(join(dir, `${name}.pem`), signed.pem);
    await writeFile(join(dir, `${name}.key`), encodePrivateKeyPem(key, "PKCS8"), { mode: 0o600 });
    return join(dir, name);
  };
  await writeFile(join(dir, "ca.pem"), ca.pem);
  return {
    ca: join(dir, "ca.pem"),
    server: await issue("server", "127.0.0.1", "server auth", "02"),
    client: await issue("client", "certplane-services", "client auth", "03"),
  };
}

/** Writes passwords and certificates into `dir`, which the caller removes. */
export async function prepareNatsSecurity(dir: string): Promise<NatsSecurity> {
  // nats-server reads a `$VARIABLE` as config text, so a value starting with a digit is taken for a
  // number and refused ("Expected a digit"): every password starts with a letter.
  const passwords = new Map(services.map((service) => [service, `pw${randomBytes(18).toString("hex")}`]));
  for (const [service, password] of passwords) {
    await writeFile(join(dir, `${service}.password`), `${password}\n`, { mode: 0o600 });
  }
  const tls = await issueTlsFiles(dir);
  const authorization = await readFile(join(repoRoot, "infra/nats/authorization.conf"), "utf8");
  const tlsFiles = {
    caFile: tls.ca,
    certFile: `${tls.client}.pem`,
    keyFile: `${tls.client}.key`,
  };
  return {
    serverConfig: [
      authorization,
      `tls { cert_file: "${tls.server}.pem", key_file: "${tls.server}.key", ca_file: "${tls.ca}", verify: true }`,
    ],
    serverEnv: Object.fromEntries([...passwords].map(([service, pw]) => [passwordVariable(service), pw])),
    caFile: tls.ca,
    serviceEnv: (service) => ({
      CERTPLANE_NATS_USER: service,
      CERTPLANE_NATS_PASSWORD_FILE: join(dir, `${service}.password`),
      CERTPLANE_NATS_TLS_CA_FILE: tlsFiles.caFile,
      CERTPLANE_NATS_TLS_CERT_FILE: tlsFiles.certFile,
      CERTPLANE_NATS_TLS_KEY_FILE: tlsFiles.keyFile,
    }),
    connection: (service) => ({
      auth: {
        user: service,
        password: passwords.get(service) ?? "",
        source: `the test's ${service} password`,
      },
      tls: tlsFiles,
      inboxPrefix: serviceInbox(service),
    }),
  };
}
