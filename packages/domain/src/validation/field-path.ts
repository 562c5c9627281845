/** Formats a path the way Kubernetes' field.Path does: `spec.dnsNames[0]`, `metadata.labels[app.kubernetes.io/name]`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) {
      out += out === "" ? segment : `.${segment}`;
    } else out += `[${String(segment)}]`;
  }
  return out;
}
