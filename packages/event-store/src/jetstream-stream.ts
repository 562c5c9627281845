import { ValidationError } from "@certplane/domain";
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from "@nats-io/jetstream";
import { withNatsRetries } from "./jetstream-errors.ts";

const STREAM_NAME_IN_USE = 10058;
const TWO_MINUTES_NS = 120_000_000_000;

/**
 * Creates the events stream when it is absent and otherwise leaves it alone: on 2.9 clusters a
 * deleted-and-recreated stream can come back with a stale replica and no leader, so never recreate.
 * Resolves with the stream's replica count.
 */
export async function ensureEventStream(
  jsm: JetStreamManager,
  name: string,
  prefix: string,
): Promise<number> {
  const subject = `${prefix}.>`;
  const existing = await withNatsRetries(`looking up stream ${name}`, async () => {
    try {
      return await jsm.streams.info(name);
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)
        return undefined;
      throw error;
    }
  });
  if (existing === undefined) {
    await withNatsRetries(`creating stream ${name}`, async () => {
      try {
        await jsm.streams.add({
          name,
          subjects: [subject],
          storage: StorageType.File,
          num_replicas: 1,
          retention: RetentionPolicy.Limits,
          discard: DiscardPolicy.Old,
          duplicate_window: TWO_MINUTES_NS,
          allow_direct: true,
          deny_delete: true,
          deny_purge: true,
        });
      } catch (error) {
        // Another instance created it between our lookup and our add: that stream is the one to use.
        if (!(error instanceof JetStreamApiError && error.code === STREAM_NAME_IN_USE)) throw error;
      }
    });
    return 1;
  }
  if (!existing.config.subjects?.includes(subject)) {
    throw ValidationError.of(
      "subjectPrefix",
      "streamSubjects",
      `stream ${name} exists with subjects ${JSON.stringify(existing.config.subjects)}, not ${subject}`,
    );
  }
  return existing.config.num_replicas || 1;
}
