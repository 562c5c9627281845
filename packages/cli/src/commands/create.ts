import { type Command, rejectExtraWords, requireWord, usageError } from "../command.ts";
import { readTextFile } from "../read-input.ts";

const usage = "certctl create secret tls NAME --cert FILE --key FILE [--ca FILE] [-n NAMESPACE]";

export const createCommand: Command = {
  name: "create",
  usage,
  flags: ["namespace", "cert", "key", "ca"],
  async run(context) {
    if (context.words[0] !== "secret" || context.words[1] !== "tls") {
      throw usageError(`certctl can create only "secret tls"; usage: ${usage}`);
    }
    const name = requireWord(context, 2, "NAME", usage);
    rejectExtraWords(context, 3, usage);
    const { cert, key, ca } = context.flags;
    if (cert === undefined || key === undefined)
      throw usageError(`--cert and --key are required; usage: ${usage}`);
    const [certificatePem, privateKeyPem, caPem] = await Promise.all([
      readTextFile(cert, "--cert"),
      readTextFile(key, "--key"),
      ca === undefined ? undefined : readTextFile(ca, "--ca"),
    ]);
    const api = await context.api();
    const { outcome } = await api.createTlsSecret({
      name,
      namespace: context.namespace,
      certificatePem,
      privateKeyPem,
      ...(caPem === undefined ? {} : { caPem }),
    });
    context.io.stdout.write(`secret/${name} ${outcome}\n`);
    return 0;
  },
};
