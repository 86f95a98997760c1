package io.rtcat.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = RtcatCommand.class.getPackage().getImplementationVersion();
        return new String[] {"rtcat " + (v == null ? "dev" : v) + " (webrtc-java 0.14.0, libwebrtc M139)"};
    }
}
