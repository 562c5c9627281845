import type * as features from "@eventstore/db-client/generated/serverfeatures_pb.js";
import {
  type handleUnaryCall,
  type MethodDefinition,
  Server,
  ServerCredentials,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { batchAppend } from "./esdb-batch-append.ts";
import { EsdbLog } from "./esdb-log.ts";
import { ServerFeaturesService, StreamsService, SupportedMethod, SupportedMethods } from "./esdb-proto.ts";
import { read } from "./esdb-read.ts";

/**
 * The version the stand-in reports: the first release that behaves as it does (event positions on
 * stream reads since 22.x, the CaughtUp message since 23.10).
 */
const SERVER_VERSION = "23.10.0";
/** EventStoreDB's default MaxAppendSize, in bytes of Event.SizeOnDisk. */
export const MAX_APPEND_SIZE = 1024 * 1024;
/**
 * Above MaxAppendSize, so an oversized commit meets the server's append-size check rather than the
 * transport's 4 MiB default. A guess: the server's exact transport limit does not matter here.
 */
const MAX_RECEIVE_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface ListeningStandIn {
  readonly port: number;
  stop(): void;
}

type Implemented = [ServiceDefinition, UntypedServiceImplementation];

/** The features the server adds to a method in GetSupportedMethods (ServerFeatures.cs). */
function featuresOf(definition: MethodDefinition<unknown, unknown>): string[] {
  const path = definition.path.toLowerCase();
  if (path === StreamsService.read.path.toLowerCase()) return ["position", "events"];
  if (path === StreamsService.batchAppend.path.toLowerCase()) return ["deadline_duration"];
  return [];
}

/**
 * GetSupportedMethods lists what this server implements, so the client picks its calls by them: with
 * BatchAppend listed, appends go through it, as against a real server.
 */
function supportedMethods(services: readonly Implemented[]): features.SupportedMethods {
  const methods = services.flatMap(([definition, implementation]) =>
    Object.keys(implementation).map((name) => {
      const method = definition[name]!;
      const [, serviceName = "", methodName = ""] = method.path.split("/");
      return new SupportedMethod()
        .setServiceName(serviceName.toLowerCase())
        .setMethodName(methodName.toLowerCase())
        .setFeaturesList(featuresOf(method));
    }),
  );
  return new SupportedMethods().setEventStoreServerVersion(SERVER_VERSION).setMethodsList(methods);
}

/** Serves the Streams and ServerFeatures gRPC services of one insecure single node over a fresh log. */
export async function listenStandIn(options: {
  readonly host: string;
  readonly port: number;
}): Promise<ListeningStandIn> {
  const log = new EsdbLog();
  const streams: Implemented = [
    StreamsService,
    { read: read(log), batchAppend: batchAppend(log, MAX_APPEND_SIZE) },
  ];
  const getSupportedMethods: handleUnaryCall<unknown, features.SupportedMethods> = (_call, callback) =>
    callback(null, answer);
  const serverFeatures: Implemented = [ServerFeaturesService, { getSupportedMethods }];
  const answer = supportedMethods([streams, serverFeatures]);
  const server = new Server({ "grpc.max_receive_message_length": MAX_RECEIVE_MESSAGE_BYTES });
  for (const [definition, implementation] of [streams, serverFeatures]) {
    server.addService(definition, implementation);
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return { port, stop: () => server.forceShutdown() };
}
