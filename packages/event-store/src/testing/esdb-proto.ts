import codeModule from "@eventstore/db-client/generated/code_pb.js";
import featuresGrpcModule from "@eventstore/db-client/generated/serverfeatures_grpc_pb.js";
import featuresModule from "@eventstore/db-client/generated/serverfeatures_pb.js";
import sharedModule from "@eventstore/db-client/generated/shared_pb.js";
import statusModule from "@eventstore/db-client/generated/status_pb.js";
import streamsGrpcModule from "@eventstore/db-client/generated/streams_grpc_pb.js";
import streamsModule from "@eventstore/db-client/generated/streams_pb.js";
import anyModule from "google-protobuf/google/protobuf/any_pb.js";
import emptyModule from "google-protobuf/google/protobuf/empty_pb.js";

// The service definitions and messages @eventstore/db-client ships, the same ones its client speaks.
// protoc's CommonJS output publishes its classes through goog.object.extend, which Node's ESM loader
// cannot see as named exports, so each module is imported whole and its classes picked here.

export const { StreamsService } = streamsGrpcModule;
export const { ServerFeaturesService } = featuresGrpcModule;
export const { SupportedMethod, SupportedMethods } = featuresModule;
export const { BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } = streamsModule;
export const {
  AllStreamPosition,
  BadRequest,
  MaximumAppendSizeExceeded,
  StreamIdentifier,
  UUID,
  WrongExpectedVersion,
} = sharedModule;
export const { Status } = statusModule;
export const { Code } = codeModule;
export const { Any } = anyModule;
/** google.protobuf.Empty, which the append and error messages use. */
export const { Empty } = emptyModule;
