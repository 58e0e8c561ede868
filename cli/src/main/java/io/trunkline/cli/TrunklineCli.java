package io.trunkline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The ./trunkline entry point: one command per job; the only code that knows every module. */
@Command(name = "trunkline", mixinStandardHelpOptions = true, version = "trunkline 0.1.0",
        description = "Outbound SIP telephony engine for voice-AI agents.",
        subcommands = {DemoCommand.class, DialCommand.class, SimCommand.class, LoadCommand.class, AmdEvalCommand.class, StirCommand.class, RunCommand.class, ServeCommand.class,
                CampaignCommand.class,
                CommandLine.HelpCommand.class})
public final class TrunklineCli implements Runnable {
    /** Exit code for bad arguments (picocli's usage error code is 2 as well). */
    static final int BAD_ARGS = 2;
    /** Exit code when the command could not run (a port in use, an unreadable file). */
    static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrunklineCli());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            ex.getCommandLine().getErr().println("run with --help for the options and their allowed values");
            return BAD_ARGS;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof IllegalArgumentException || ex instanceof io.trunkline.engine.config.ConfigException) {
                // a bad argument or a bad --config file: the message names the field and what is allowed
                c.getErr().println("error: " + ex.getMessage());
                return BAD_ARGS;
            }
            if (ex instanceof io.trunkline.sip.transport.PortInUseException || ex instanceof java.io.IOException) {
                // the environment refused (a port in use, a file that cannot be read): say what, without a trace
                c.getErr().println("error: " + ex.getMessage());
                return FAILED;
            }
            throw ex;
        });
        return cl;
    }
}
