/** Annotations cert-manager puts on the requests it creates for a Certificate. */
export const requestAnnotations = {
  certificateName: "cert-manager.io/certificate-name",
  certificateRevision: "cert-manager.io/certificate-revision",
  privateKeySecretName: "cert-manager.io/private-key-secret-name",
} as const;
