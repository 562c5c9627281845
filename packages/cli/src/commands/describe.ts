import { parseAtFlag } from "../at-flag.ts";
import { type Command, rejectExtraWords, requireWord } from "../command.ts";
import { describeView } from "../format/describe-view.ts";
import { resolveKind } from "../kinds.ts";

const usage = "certctl describe TYPE NAME [-n NAMESPACE] [--at TIME|DURATION]";

export const describeCommand: Command = {
  name: "describe",
  usage,
  flags: ["namespace", "at"],
  async run(context) {
    const info = resolveKind(context.words[0], [
      "Certificate",
      "Issuer",
      "ClusterIssuer",
      "CertificateRequest",
      "Order",
      "Challenge",
    ]);
    const name = requireWord(context, 1, "NAME", usage);
    rejectExtraWords(context, 2, usage);
    const at = context.flags.at === undefined ? undefined : parseAtFlag(context.flags.at, context.io.now());
    const api = await context.api();
    const response = await api.describe({
      kind: info.kind,
      name,
      ...(info.namespaced ? { namespace: context.namespace } : {}),
      ...(at === undefined ? {} : { at: at.toISOString() }),
    });
    context.io.stdout.write(describeView(response));
    return 0;
  },
};
