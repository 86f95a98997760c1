package io.rtcat.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"rtcat " + BuildInfo.CURRENT.describe()};
    }
}
