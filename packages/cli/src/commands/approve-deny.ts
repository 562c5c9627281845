// cmctl's `approve` and `deny`, with its defaults and its refusals: the server refuses a request
// that is already approved or denied, and says which.
import type { JudgeRequest } from "@certplane/api";
import { type Command, rejectExtraWords, requireWord, usageError } from "../command.ts";

function judgeCommand(decision: JudgeRequest["decision"]): Command {
  const verb = decision === "approve" ? "approve" : "deny";
  const past = decision === "approve" ? "approved" : "denied";
  const usage = `certctl ${verb} CERTIFICATEREQUEST [-n NAMESPACE] [--reason REASON] [--message MESSAGE]`;
  return {
    name: verb,
    usage,
    flags: ["namespace", "reason", "message"],
    async run(context) {
      const name = requireWord(context, 0, "the name of the CertificateRequest", usage);
      rejectExtraWords(context, 1, usage);
      const reason = context.flags.reason ?? "KubectlCertManager";
      const message = context.flags.message ?? `manually ${past} by "certctl"`;
      // cmctl refuses an empty reason or message before it asks the server.
      if (reason === "") throw usageError(`a reason must be given as to who ${past} this CertificateRequest`);
      if (message === "")
        throw usageError(`a message must be given as to why this CertificateRequest is ${past}`);
      const api = await context.api();
      const judged = await api.judgeCertificateRequest({
        name,
        namespace: context.namespace,
        decision,
        reason,
        message,
      });
      const title = decision === "approve" ? "Approved" : "Denied";
      context.io.stdout.write(`${title} CertificateRequest '${judged.namespace}/${judged.name}'\n`);
      return 0;
    },
  };
}

export const approveCommand = judgeCommand("approve");
export const denyCommand = judgeCommand("deny");
