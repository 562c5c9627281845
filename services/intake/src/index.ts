export type {
  ApprovalCheck,
  ApprovalConfig,
  ApprovalInput,
  ApprovalPolicy,
  ApprovalVerdict,
} from "./approval/approval-policy.ts";
export {
  approvalPolicyFromConfig,
  autoApproveBuiltInIssuers,
  decideApproval,
  issuerNotAllowed,
  namespaceNotAllowed,
} from "./approval/approval-policy.ts";
export type { IntakeConfig } from "./config.ts";
export { parseIntakeConfig } from "./config.ts";
export type { DashboardOptions, RunningDashboard } from "./dashboard/dashboard-server.ts";
export { startDashboard } from "./dashboard/dashboard-server.ts";
export type { IntakeDependencies, IntakeService } from "./start-intake-service.ts";
export { approverSubscriptionName, startIntakeService } from "./start-intake-service.ts";
