import type { PublishedSecret, SecretRef, SecretTarget } from "../secrets/secret-target.ts";

/** A target that keeps what it is given in memory, for handler tests. */
export class RecordingTarget implements SecretTarget {
  readonly kind = "recording";
  readonly secrets = new Map<string, PublishedSecret>();
  writes = 0;

  async write(secret: PublishedSecret): Promise<void> {
    this.writes++;
    this.secrets.set(`${secret.namespace}/${secret.name}`, secret);
  }

  async delete(ref: SecretRef): Promise<void> {
    this.secrets.delete(`${ref.namespace}/${ref.name}`);
  }

  get(ref: SecretRef): PublishedSecret | undefined {
    return this.secrets.get(`${ref.namespace}/${ref.name}`);
  }
}
