package io.argate.image;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The launcher's options (README "Options"; {@code ./argate --help}).
 *
 * @param data      flash and NVS live here
 * @param telnet    address the telnet server listens on, or null for {@code --telnet off}
 * @param config    a script to boot from once instead of the boot configuration, or null
 * @param batch     a file of commands to run (or "-" for standard input), or null
 * @param user      login for batch mode
 * @param password  password for batch mode (from --password, or the first line of --password-file)
 * @param platform  the platform file binding ports to host devices, or null for the AR410 default
 */
public record Options(Path data, InetSocketAddress telnet, Path config, String batch, String user, String password, Path platform) {

    public static final String USAGE = String.join("\n",
            "Usage: ./argate [options]",
            "Boots the argate router: an AR410-style IPsec VPN gateway in userspace.",
            "",
            "  --data DIR              flash directory and NVS database (default ./data)",
            "  --telnet [ADDR:]PORT    telnet server address (default 127.0.0.1:2323)",
            "  --telnet off            no telnet server (the default with --batch)",
            "  --config FILE.cfg       boot once from this script instead of the boot configuration",
            "                          (a file outside flash is copied into flash first)",
            "  --batch FILE            after boot, log in and run each line of FILE (- = standard input)",
            "                          as typed at the prompt, then shut down; exit 0 if all succeeded",
            "  --user NAME             login for --batch (default manager)",
            "  --password-file FILE    read the --batch password from the first line of FILE",
            "                          (- = standard input); unlike --password, not shown by ps",
            "  --password PW           password for --batch (default friend); visible to every",
            "                          user of the machine in the process list: prefer --password-file",
            "  --platform FILE         platform file binding ports to TUN/UDP/in-memory links",
            "  --help                  this text",
            "",
            "With standard input on a terminal, the console asks login: and Password:. Otherwise (and",
            "without --batch) argate runs as a service, managed over telnet, until SIGTERM or SIGINT.");

    public static Options parse(String... args) {
        Path data = Path.of("data");
        InetSocketAddress telnet = new InetSocketAddress("127.0.0.1", 2323);
        Path config = null;
        String batch = null;
        String user = "manager";
        String password = "friend";
        Path platform = null;
        boolean telnetGiven = false;
        String passwordFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> throw new UsageException(null);
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--telnet" -> {
                    telnet = telnet(value(args, ++i, a));
                    telnetGiven = true;
                }
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--batch" -> batch = value(args, ++i, a);
                case "--user" -> user = value(args, ++i, a);
                case "--password" -> password = value(args, ++i, a);
                case "--password-file" -> passwordFile = value(args, ++i, a);
                case "--platform" -> platform = Path.of(value(args, ++i, a));
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (passwordFile != null) {
            if (passwordFile.equals("-") && "-".equals(batch)) {
                throw new UsageException("--password-file - and --batch - cannot both read standard input");
            }
            password = PasswordFile.read(passwordFile);
        }
        if (batch != null && !telnetGiven) {
            // a batch run drives the router itself; it takes the telnet port only when asked, so
            // it never collides with a router already serving 2323
            telnet = null;
        }
        return new Options(data, telnet, config, batch, user, password, platform);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    static InetSocketAddress telnet(String v) {
        if (v.equalsIgnoreCase("off")) {
            return null;
        }
        String host = "127.0.0.1";
        String port = v;
        int colon = v.lastIndexOf(':');
        if (colon >= 0) {
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, p);
        } catch (NumberFormatException e) {
            throw new UsageException("--telnet needs [ADDR:]PORT or off, not " + v);
        }
    }

    /** Bad command line: the message (or null for --help) and the usage text are printed. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
