import { fileURLToPath } from "node:url";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import type { ApiOperation } from "./operations.ts";

const protoPath = fileURLToPath(new URL("../proto/certplane/v1/api.proto", import.meta.url));

// arrays/objects: repeated and map fields always arrive, so decoded responses match the API types;
// proto3 `optional` fields stay absent when unset, which keeps "not given" distinct from "false".
const packageDefinition = loadSync(protoPath, { defaults: true, arrays: true, objects: true });

export const certplaneService = packageDefinition["certplane.v1.Certplane"] as ServiceDefinition;

/** The rpc serving an operation: `createTlsSecret` → `CreateTlsSecret`. */
export function rpcName(operation: ApiOperation): string {
  return operation.charAt(0).toUpperCase() + operation.slice(1);
}
