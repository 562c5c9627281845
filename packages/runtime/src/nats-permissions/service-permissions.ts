// What each service's NATS user may publish and subscribe to, derived from the owner table, so the
// server enforces "one writer per stream" and "commands only as the table routes them" too, not just
// each service's own store handle and command sender.
import type { ServiceName } from "@certplane/domain";
import {
  categoriesOwnedBy,
  categoryOwners,
  ownerCommandRoutes,
  ownerCommandSubject,
} from "@certplane/domain";

/** The names the JetStream store and the API use: the permissions follow them. */
export interface NatsSubjectLayout {
  /** The one JetStream stream holding every event. */
  readonly streamName: string;
  /** Event subjects are `<prefix>.<category>.<id>`. */
  readonly subjectPrefix: string;
  /** KV bucket of durable subscriptions' checkpoints (its stream is `KV_<bucket>`). */
  readonly checkpointBucket: string;
  /** KV bucket of the leases instances share work by (work-share/), stream `KV_<bucket>`. */
  readonly leaseBucket: string;
  /** The service answering the API, and the subjects it answers on. */
  readonly api: { readonly server: ServiceName; readonly subjects: string };
}

export interface NatsUserPermissions {
  readonly service: ServiceName;
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** Whether the user answers requests: it may then publish to the reply subject of each one it received. */
  readonly allowResponses: boolean;
}

/** The inbox prefix of a service's connections (see host.ts): its replies and consumer deliveries. */
export function serviceInbox(service: string): string {
  return `_INBOX.${service}`;
}

/** JetStream API calls every service's store makes; none of them deletes, purges or edits a stream. */
function jetStreamApi(layout: NatsSubjectLayout): string[] {
  const events = layout.streamName;
  const checkpoints = `KV_${layout.checkpointBucket}`;
  const leases = `KV_${layout.leaseBucket}`;
  return [
    // jetstreamManager() checks the account has JetStream.
    "$JS.API.INFO",
    // Create-if-absent of the events stream and the two buckets (never update or delete).
    ...[events, checkpoints, leases].flatMap((stream) => [
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.STREAM.CREATE.${stream}`,
    ]),
    // Reads: the last message of a subject from the stream's leader (a direct get may be answered
    // by a lagging replica), then an ordered consumer from the start of it.
    `$JS.API.STREAM.MSG.GET.${events}`,
    `$JS.API.CONSUMER.CREATE.${events}.>`,
    `$JS.API.CONSUMER.INFO.${events}.*`,
    `$JS.API.CONSUMER.MSG.NEXT.${events}.*`,
    `$JS.API.CONSUMER.DELETE.${events}.*`,
    // Checkpoints: a key read from the bucket's leader, and compare-and-set writes to it.
    `$JS.API.STREAM.MSG.GET.${checkpoints}`,
    `$KV.${layout.checkpointBucket}.>`,
    // Leases: the same reads and writes, and listing a group's keys with an ordered consumer.
    `$JS.API.STREAM.MSG.GET.${leases}`,
    `$KV.${layout.leaseBucket}.>`,
    `$JS.API.CONSUMER.CREATE.${leases}.>`,
    `$JS.API.CONSUMER.INFO.${leases}.*`,
    `$JS.API.CONSUMER.DELETE.${leases}.*`,
  ];
}

/** A command's plain subject and its per-partition ones (`<subject>.p<index>`, owner-commands.ts). */
function withPartitions(subject: string): string[] {
  return [subject, `${subject}.*`];
}

function sortedUnique(subjects: readonly string[]): string[] {
  return [...new Set(subjects)].sort();
}

/** Publish: its own categories' events, the commands it sends; subscribe: what it serves, its inbox. */
export function servicePermissions(service: ServiceName, layout: NatsSubjectLayout): NatsUserPermissions {
  const ownEvents = categoriesOwnedBy(service).map((category) => `${layout.subjectPrefix}.${category}.>`);
  const sends = ownerCommandRoutes
    .filter((route) => route.senders.includes(service))
    .flatMap((route) => withPartitions(ownerCommandSubject(route.category, route.command)));
  const serves = ownerCommandRoutes
    .filter((route) => categoryOwners[route.category] === service)
    .flatMap((route) => withPartitions(ownerCommandSubject(route.category, route.command)));
  const api = layout.api.server === service ? [layout.api.subjects] : [];
  return {
    service,
    publish: sortedUnique([...ownEvents, ...sends, ...jetStreamApi(layout)]),
    subscribe: sortedUnique([...serves, ...api, `${serviceInbox(service)}.>`]),
    allowResponses: serves.length + api.length > 0,
  };
}
