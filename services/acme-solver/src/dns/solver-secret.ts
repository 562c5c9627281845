import { ValidationError } from "@certplane/domain";

/** Reads the value under `key` of the Secret `name` in the issuer's namespace. */
export type ReadSecret = (name: string, key: string) => Promise<string>;

/** A `SecretKeySelector` of a solver, read now so that a missing Secret fails when the provider is built. */
export async function solverSecret(
  ref: { name: string; key?: string } | undefined,
  field: string,
  readSecret: ReadSecret,
): Promise<string> {
  if (!ref?.name) throw ValidationError.of(`${field}.name`, "required", "secret name is required");
  if (!ref.key) throw ValidationError.of(`${field}.key`, "required", "secret key is required");
  return (await readSecret(ref.name, ref.key)).trim();
}
