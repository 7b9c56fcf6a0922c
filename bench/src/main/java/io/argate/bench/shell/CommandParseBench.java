package io.argate.bench.shell;

import io.argate.ipsec.esp.Transform;

import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.cli.IpsecModule;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spec.EncoKeys;
import io.argate.shell.cmd.CommandTable;
import io.argate.shell.parse.Grammar;
import io.argate.shell.parse.Parsed;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Command parsing throughput: abbreviated IPsec commands parsed and validated against the real
 * IPSEC command table, against the same-run reference of merely splitting the line into
 * NAME=value pairs with a regex (what any parser must at least do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommandParseBench {
    static final List<String> LINES = List.of(
            "create ipsec pol=vpn int=ppp0 ac=ipsec key=isakmp bund=1 peer=2.2.2.2 lad=192.168.10.0 lma=255.255.255.0 rad=192.168.20.0 rma=255.255.255.0",
            "create ipsec sas=1 key=manual prot=esp encalg=des hashalg=sha enckey=1 hashkey=2 inspi=1000 outspi=1001",
            "create ipsec bundle=3 key=isakmp string=\"5 and 1, 1\" expirys=3600",
            "sh ipsec pol=vpn co sab");
    static final Pattern PAIRS = Pattern.compile("(\\S+?)(?:=(\"[^\"]*\"|\\S*))?(?:\\s+|$)");

    private Grammar grammar;
    private int next;

    @Setup
    public void setup() {
        EncoKeys none = new EncoKeys() {
            public Optional<KeyInfo> info(int n) {
                return Optional.empty();
            }

            public Optional<byte[]> value(int n) {
                return Optional.empty();
            }
        };
        IpsecModule m = new IpsecModule(new IpsecConfig(), new Sad<Transform>(Clock.systemUTC()), none, i -> true,
                new IpsecCounter.Set(), new PolicyCounters(), new PolicyDebug());
        CommandTable t = new CommandTable("IPSEC");
        m.commands(t);
        grammar = new Grammar(t.commands());
    }

    @Benchmark
    public Parsed parse() throws Exception {
        return grammar.parse(LINES.get(next++ & 3));
    }

    @Benchmark
    public int regexSplitReference() {
        var m = PAIRS.matcher(LINES.get(next++ & 3));
        int n = 0;
        while (m.find() && m.end() > m.start()) {
            n++;
        }
        return n;
    }
}
