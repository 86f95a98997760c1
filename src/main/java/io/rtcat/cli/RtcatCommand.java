package io.rtcat.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "rtcat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Move files and measure networks over WebRTC data channels: peer to peer, through NATs.",
            ""},
        subcommands = {SendCommand.class, ReceiveCommand.class, SignalCommand.class, TokenCommand.class, ProbeCommand.class, LoopbackCommand.class, BenchCommand.class, CheckCommand.class, RespondCommand.class, DoctorCommand.class, picocli.CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'rtcat COMMAND --help' for a command's flags and examples."})
final class RtcatCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command");
    }
}
