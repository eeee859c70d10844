package io.inventiv.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top command; {@code serve} runs when no subcommand is named. */
@Command(name = "worker-llamacpp", mixinStandardHelpOptions = true, version = "worker-llamacpp 0.1.0",
        description = "A vLLM-compatible OpenAI server for GGUF models, on llama.cpp.",
        subcommands = {ServeCommand.class, DownloadCommand.class})
public final class WorkerCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the CLI; {@code serve} is implied when the first argument is not a subcommand. */
    public static int execute(String[] args) {
        CommandLine commandLine = new CommandLine(new WorkerCommand());
        boolean namesSubcommand = args.length > 0 && commandLine.getSubcommands().containsKey(args[0]);
        // --help alone shows serve's options, where every env var is documented.
        boolean asksVersion = args.length > 0 && (args[0].equals("--version") || args[0].equals("-V"));
        if (!namesSubcommand && !asksVersion) {
            String[] withServe = new String[args.length + 1];
            withServe[0] = "serve";
            System.arraycopy(args, 0, withServe, 1, args.length);
            args = withServe;
        }
        return commandLine.execute(args);
    }
}
