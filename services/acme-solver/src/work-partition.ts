// With a WorkShare the solver's instances split its work by certificate request: a request, its
// Order and the Order's Challenges all go to the instance holding the request stream's partition.
// Each stream's own partition would not do: the request's holder creates the Order (OrderCreated)
// and the Order's holder its Challenges (ChallengeCreated), so one Order's or Challenge's events
// would come from two instances. The Order's and Challenge's names lead back to the request
// (names.ts), so every instance finds the same partition from the stream name alone, even for a
// Challenge whose Order it has not folded yet. Issuers go by their own stream.
import { parseStreamName, streams } from "@certplane/domain/model";
import { partitionOf } from "@certplane/event-store";
import { nameWithoutHash } from "./orders/names.ts";

export function workPartitionOf(stream: string, partitions: number): number {
  return partitionOf(requestStreamOf(stream), partitions);
}

function requestStreamOf(stream: string): string {
  const { category, namespace = "", name } = parseStreamName(stream);
  switch (category) {
    case "order":
      return streams.certificateRequest(namespace, nameWithoutHash(name));
    case "challenge":
      return streams.certificateRequest(namespace, nameWithoutHash(nameWithoutHash(name)));
    default:
      return stream;
  }
}
