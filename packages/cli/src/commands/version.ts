import packageJson from "../../package.json" with { type: "json" };
import { type Command, rejectExtraWords, usageError } from "../command.ts";
import { renderDocument } from "../format/document.ts";

const usage = "certctl version [--client] [-o json|yaml]";

// The API has no version operation, so the server's version is reported as unknown rather than
// guessed from the client's; kubectl's `serverVersion` key is left out of json and yaml the same way.
const serverUnknown = "unknown (the certplane API does not report its version)";

export const versionCommand: Command = {
  name: "version",
  usage,
  flags: ["client", "output"],
  async run(context) {
    rejectExtraWords(context, 0, usage);
    const output = context.flags.output;
    const clientVersion = { gitVersion: `v${packageJson.version}` };
    switch (output) {
      case undefined:
        context.io.stdout.write(`Client Version: ${clientVersion.gitVersion}\n`);
        if (context.flags.client !== true) context.io.stdout.write(`Server Version: ${serverUnknown}\n`);
        return 0;
      case "json":
      case "yaml":
        context.io.stdout.write(renderDocument(output, { clientVersion }));
        return 0;
      default:
        throw usageError(`unknown output format "${output}" for -o; accepted: json, yaml`);
    }
  },
};
