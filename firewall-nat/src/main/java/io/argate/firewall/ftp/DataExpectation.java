package io.argate.firewall.ftp;

/**
 * A data connection an FTP control line announced: from {@code peer} to {@code global}:{@code globalPort}
 * as it arrives, for {@code inside}:{@code insidePort}. An active-mode one (PORT, EPRT) comes from
 * the server's data port, which FTPDATAPORT=RFC requires to be 20.
 */
public record DataExpectation(int policyId, int peer, int global, int globalPort, int inside, int insidePort, boolean active,
                              int expires) {
}
