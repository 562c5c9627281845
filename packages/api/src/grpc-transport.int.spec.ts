import { transportContract } from "./contract/transport-contract.ts";
import { createGrpcApiClient } from "./grpc-client.ts";
import { serveGrpcApi } from "./grpc-server.ts";

transportContract("gRPC", {
  carriesPrivateKeys: true,
  connect: async (api) => {
    const server = await serveGrpcApi(api, { address: "127.0.0.1:0" });
    const client = createGrpcApiClient(server.address, { timeoutMs: 5_000 });
    return {
      client,
      close: async () => {
        client.close();
        await server.stop();
      },
    };
  },
  unreachable: async () => {
    // A port that was just served and released: nothing listens there any more.
    const gone = await serveGrpcApi({} as never, { address: "127.0.0.1:0" });
    await gone.stop();
    const client = createGrpcApiClient(gone.address, { timeoutMs: 5_000 });
    return { client, names: gone.address, close: async () => client.close() };
  },
});
