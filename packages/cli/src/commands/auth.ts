import { type Command, type CommandContext, rejectExtraWords, requireWord, usageError } from "../command.ts";
import { kindAliasPlural } from "../kinds.ts";

const usage = "certctl auth can-i VERB RESOURCE [-n NS | -A]";

/** `kubectl auth can-i`, answered by the server from the access policy it enforces. */
export const authCommand: Command = {
  name: "auth",
  usage,
  flags: ["namespace", "all-namespaces"],
  async run(context) {
    const action = context.words[0];
    if (action === "can-i") return await canI(context);
    throw usageError(
      action === undefined
        ? `missing action can-i; usage: ${usage}`
        : `unknown auth action "${action}"; accepted: can-i`,
    );
  },
};

/** Prints `yes`, or `no` with the server's reason, as kubectl does; exit code 0 for yes, 1 for no. */
async function canI(context: CommandContext): Promise<number> {
  const verb = requireWord(context, 1, "verb", usage);
  const typed = requireWord(context, 2, "resource", usage);
  rejectExtraWords(context, 3, usage);
  if (context.flags["all-namespaces"] && context.flags.namespace !== undefined) {
    throw usageError("-n and -A exclude each other: ask about one namespace or all of them");
  }
  const api = await context.api();
  const answer = await api.accessReview({
    verb,
    // Aliases (`certs`, `cr`) are the client's; the server knows every resource's plural.
    resource: kindAliasPlural(typed) ?? typed,
    ...(context.flags["all-namespaces"] ? {} : { namespace: context.namespace }),
  });
  context.io.stdout.write(answer.allowed ? "yes\n" : `no - ${answer.reason}\n`);
  return answer.allowed ? 0 : 1;
}
