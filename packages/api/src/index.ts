export type { ApiTokens } from "./api-tokens.ts";
export { apiTokenDigest, parseApiTokens } from "./api-tokens.ts";
export type { BusApiClientOptions, BusApiServerOptions } from "./bus-api.ts";
export { createBusApiClient, serveBusApi } from "./bus-api.ts";
export type { ApiCaller } from "./caller.ts";
export { CALLER_USER_KEY, grpcCaller, inProcessCaller, natsCaller, natsUserCaller } from "./caller.ts";
export type { ConnectApiOptions, ConnectedApi, ServerTarget } from "./connect.ts";
export { connectApi, parseServerUrl } from "./connect.ts";
export type { GrpcApiClient, GrpcApiClientOptions } from "./grpc-client.ts";
export { createGrpcApiClient, DEFAULT_GRPC_TIMEOUT_MS } from "./grpc-client.ts";
export type { GrpcApiServer, GrpcApiServerOptions, GrpcServerTls } from "./grpc-server.ts";
export { serveGrpcApi } from "./grpc-server.ts";
export type {
  AccessReviewRequest,
  AccessReviewResponse,
  ApiOperation,
  ApplyOutcome,
  ApplyRequest,
  ApplyResponse,
  ApplyResult,
  CertificateDetails,
  CertplaneApi,
  CreateTlsSecretRequest,
  CreateTlsSecretResponse,
  DeleteResponse,
  DescribeResponse,
  GetRequest,
  GetResponse,
  HistoryEntry,
  HistoryRecord,
  HistoryRequest,
  HistoryResponse,
  InspectSecretResponse,
  JudgeRequest,
  JudgeResponse,
  ObjectRef,
  RebuildReadModelsRequest,
  RebuildReadModelsStatus,
  RenewRequest,
  RenewResponse,
  ReplayRequest,
  ReplayResponse,
  ResourceKind,
  ResourceObject,
  RevisionEntry,
} from "./operations.ts";
export {
  apiOperations,
  apiSubject,
  apiSubjectAs,
  apiSubjectPrefix,
  defaultGrpcAddress,
} from "./operations.ts";
