// Kubernetes object-name rules (k8s.io/apimachinery validation), with its messages.

const LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const labelPattern = new RegExp(`^${LABEL}$`);
const subdomainPattern = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** Problems with `value` as a DNS-1123 subdomain (object names, secret names); empty when valid. */
export function dns1123SubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 253) problems.push("must be no more than 253 characters");
  if (!subdomainPattern.test(value)) {
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
        "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
        `validation is '${LABEL}(\\.${LABEL})*')`,
    );
  }
  return problems;
}

/** Problems with `value` as a DNS-1123 label (namespaces); empty when valid. */
export function dns1123LabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push("must be no more than 63 characters");
  if (!labelPattern.test(value)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must " +
        `start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '${LABEL}')`,
    );
  }
  return problems;
}
