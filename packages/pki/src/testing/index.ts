export { counterRandom } from "./counter-random.ts";
export type { IssuedChain } from "./issued-chain.ts";
export { issueTestChain } from "./issued-chain.ts";
export { keytoolList, opensslPkcs12Info, pemBlocksIn, runTool, ToolFailedError } from "./keystore-tools.ts";
export { signedPart } from "./signed-part.ts";
