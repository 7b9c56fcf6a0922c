package io.argate.image;

import io.argate.ipsec.esp.Transform;

import io.argate.enco.Enco;
import io.argate.enco.cli.EncoModule;
import io.argate.enco.kernel.KernelCryptoDriver;
import io.argate.enco.kernel.ProcCrypto;
import io.argate.enco.key.EncoKeyStore;
import io.argate.enco.nic.NicOffloadDriver;
import io.argate.enco.soft.SoftwareDriver;
import io.argate.ip.cli.IpModule;
import io.argate.ip.forward.Forwarder;
import io.argate.ip.iface.Interfaces;
import io.argate.ip.port.Platform;
import io.argate.ip.port.PlatformFile;
import io.argate.ip.port.Port;
import io.argate.ip.port.PacketBuffers;
import io.argate.ipsec.IpsecCounter;
import io.argate.ipsec.cli.IpsecModule;
import io.argate.ipsec.diag.PolicyCounters;
import io.argate.ipsec.diag.PolicyDebug;
import io.argate.shell.loop.ControlLoop;
import io.argate.ipsec.config.IpsecConfig;
import io.argate.ipsec.path.IpsecEngine;
import io.argate.firewall.FirewallLimits;
import io.argate.firewall.cli.FirewallModule;
import io.argate.firewall.engine.FirewallEngine;
import io.argate.ip.forward.Stage;
import io.argate.isakmp.IkePorts;
import io.argate.isakmp.IsakmpLog;
import io.argate.isakmp.cli.IsakmpModule;
import io.argate.isakmp.crypto.KeyPairPool;
import io.argate.pki.CertificateStore;
import io.argate.pki.PkiModule;
import io.argate.enco.key.KeyType;
import io.argate.enco.key.RsaKey;
import io.argate.isakmp.config.IsakmpConfig;
import io.argate.isakmp.crypto.RandomSource;
import io.argate.isakmp.exchange.IsakmpDaemon;
import io.argate.isakmp.sa.SadInstaller;
import io.argate.ipsec.sad.Sad;
import io.argate.ipsec.spec.IpsecProtocol;
import io.argate.shell.CommandProcessor;
import io.argate.shell.Module;
import io.argate.shell.config.BootConfig;
import io.argate.shell.config.ConfigModule;
import io.argate.shell.config.ConfigScript;
import io.argate.shell.config.ScriptRunner;
import io.argate.shell.file.FileModule;
import io.argate.shell.file.SecureFiles;
import io.argate.shell.log.LogModule;
import io.argate.shell.login.LoginModule;
import io.argate.shell.login.SessionRegistry;
import io.argate.shell.login.ShellContext;
import io.argate.shell.system.RouterControl;
import io.argate.shell.system.SystemModule;
import io.argate.shell.telnet.TelnetModule;
import io.argate.shell.telnet.TelnetServer;
import io.argate.shell.user.PasswordHash;
import io.argate.shell.user.SecurityMode;
import io.argate.shell.user.UserAuthenticator;
import io.argate.shell.user.UserModule;
import io.argate.shell.user.UserStore;
import io.argate.store.EventLog;
import io.argate.store.Flash;
import io.argate.store.Nvs;
import io.argate.store.Severity;
import io.argate.store.StoreException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One running router: storage, modules, command processor, sessions. Boots, restarts in the
 * same process (RESTART ROUTER: modules stopped, configuration reset, modules started, boot
 * script run again; sessions stay connected) and shuts down. Tests construct it directly on a
 * temporary data directory, without a terminal or telnet.
 */
public final class Router implements RouterControl, AutoCloseable {
    private final Options options;
    private final Clock clock;
    private final KeyPairPool keyPairs;
    private final Flash flash;
    private final Nvs nvs;
    private final EventLog log;
    private final BootConfig bootConfig;
    private final SystemModule system;
    private final List<Module> modules;
    private final CommandProcessor processor;
    private final ShellContext shell;
    private final ScriptRunner scripts;
    private final Instant bootTime;
    private final ControlLoop loop;
    private final Map<String, Port> ports;
    private final Forwarder forwarder;
    private final IpsecEngine ipsecEngine;
    private final TelnetModule telnetModule = new TelnetModule();
    private TelnetServer telnet;
    private volatile String currentConfig;
    private volatile ScriptRunner.Outcome lastBoot;

    public Router(Options options, Clock clock, int passwordIterations) {
        this.options = options;
        this.clock = clock;
        this.bootTime = clock.instant();
        try {
            Files.createDirectories(options.data());
        } catch (IOException e) {
            throw new StoreException("cannot create data directory " + options.data() + ": " + e.getMessage(), e);
        }
        this.flash = new Flash(options.data().resolve("flash"));
        this.nvs = Nvs.open(options.data(), clock);
        this.log = new EventLog(nvs, clock);
        if (nvs.recoveredFromDamage()) {
            log.log(Severity.URGENT, "SYS", "NVS", "DAMAGE", "NVS database was damaged and has been recreated: " + nvs.recoveryDetail());
        }
        this.loop = new ControlLoop(clock);
        loop.onFailure((what, e) -> log.log(Severity.URGENT, "SYS", "BUG", "LOOP", "control plane " + what + " failed: " + e));
        this.bootConfig = new BootConfig(nvs);
        UserStore users = new UserStore(nvs, new PasswordHash(passwordIterations));
        UserAuthenticator auth = new UserAuthenticator(users, log, clock);
        SecurityMode security = new SecurityMode(nvs, auth);
        this.system = new SystemModule(nvs, flash, clock, this, security, bootConfig::name);
        SecureFiles secureFiles = new SecureFiles(flash, security, bootConfig::name);
        ConfigModule config = new ConfigModule(flash, bootConfig, this, log, secureFiles);
        // hardware-backed kernel crypto is used when present; the software driver is always there
        Enco enco = new Enco(new SoftwareDriver(), List.of(new KernelCryptoDriver(ProcCrypto.read(), false),
                new NicOffloadDriver()), log);
        EncoKeyStore encoKeys = new EncoKeyStore(nvs, options.data());
        this.ports = openPorts(options.platform());
        Interfaces interfaces = new Interfaces();
        this.forwarder = new Forwarder(interfaces, clock, PacketBuffers.ALLOC);
        IpModule ip = new IpModule(ports, interfaces, forwarder, PacketBuffers.ALLOC);
        IpsecConfig ipsecConfig = new IpsecConfig();
        Sad<Transform> sad = new Sad<>(clock);
        IpsecCounter.Set ipsecCounters = new IpsecCounter.Set();
        PolicyCounters policyCounters = new PolicyCounters();
        EncoKeysView keyView = new EncoKeysView(encoKeys);
        PolicyDebug policyDebug = new PolicyDebug();
        this.ipsecEngine = new IpsecEngine(ipsecConfig, sad, enco, keyView, forwarder, PacketBuffers.ALLOC, ipsecCounters,
                policyCounters, policyDebug, log, clock);
        IpsecModule ipsec = new IpsecModule(ipsecConfig, sad, keyView, ip::interfaceExists, ipsecCounters, policyCounters, policyDebug)
                .engine(ipsecEngine);
        IsakmpConfig isakmpConfig = new IsakmpConfig();
        forwarder.chooseSource(new ModeCfgSourceChoice(ipsecEngine, interfaces));
        IkePorts ikePorts = new IkePorts(forwarder, PacketBuffers.ALLOC);
        IsakmpLog isakmpLog = IsakmpLog.of(log);
        IsakmpDaemon isakmpDaemon = new IsakmpDaemon(isakmpConfig, ipsecConfig, new SadInstaller(sad, enco, clock), keyView, ikePorts, loop,
                RandomSource.secure(), isakmpLog);
        ikePorts.attach(isakmpDaemon, ipsecEngine);
        // DH key pairs are made ahead on a thread of their own, so the loop only does the shared secrets
        this.keyPairs = new KeyPairPool(RandomSource.secure());
        isakmpDaemon.keyPairs(keyPairs);
        // DH exponentiations run in libcrypto when it loads and passes its self-test; one line says when they cannot
        io.argate.isakmp.crypto.DhEngines.preferred().fallback().ifPresent(why -> isakmpLog.log("MSG", why));
        // XAUTH servers check users in the user database, throttled as network logins are
        isakmpDaemon.xauthUsers((user, password, peer) -> {
            var r = auth.xauth(user, password, io.argate.shell.Authenticator.Origin.network("ISAKMP", io.argate.ipsec.spd.AddressSpec.dotted(peer)));
            return new io.argate.isakmp.xauth.XauthUsers.Verdict(io.argate.isakmp.xauth.XauthUsers.Outcome.valueOf(r.outcome().name()), r.reason());
        });
        // ACQUIREs, soft expiries and unknown SPIs from the data path start or answer negotiations
        sad.onEvent(isakmpDaemon::sadEvent);
        IsakmpModule isakmp = new IsakmpModule(isakmpConfig, isakmpDaemon, keyView, isakmpLog);
        // RSA-signature IKE: ENCO holds the key pairs, the PKI module the certificates and their trust
        CertificateStore certificates = new CertificateStore();
        isakmpDaemon.certificates(new PkiCredentials(encoKeys, certificates, clock));
        PkiModule pki = new PkiModule(certificates, flash, id -> encoKeys.get(id).filter(k -> k.type() == KeyType.RSA)
                .flatMap(k -> RsaKey.of(k.value())), clock, log);
        FirewallEngine firewallEngine = new FirewallEngine(FirewallLimits.DEFAULT_MAX_SESSIONS, clock, forwarder::addressOf);
        // ESP passthrough under NAPT must not take the router's own SAs' packets for a LAN host
        firewallEngine.routerSpis(spi -> sad.inbound(IpsecProtocol.ESP, spi) != null);
        // the firewall fills its two stages of the path: before local delivery and routing, and before the SPD
        forwarder.fill(Stage.FIREWALL_INGRESS, firewallEngine.ingress());
        forwarder.fill(Stage.FIREWALL_EGRESS, firewallEngine.egress());
        FirewallModule firewall = new FirewallModule(firewallEngine, ip::interfaceExists,
                line -> log.log(Severity.NOTICE, "FIREWALL", "FIRE", "LOG", line));
        EncoModule encoModule = new EncoModule(enco, encoKeys, security, log).files(flash);
        // lower modules ask the IPSEC module before removing what its configuration names
        encoModule.keyUser(ipsec::keyUser);
        ip.interfaceUser(ipsec::interfaceUser);
        this.modules = modules(new ArrayList<>(List.of(system, new UserModule(users, security, log), new LoginModule(), telnetModule, config,
                new FileModule(flash, log, secureFiles), new LogModule(log), ip, firewall, encoModule, ipsec, pki, isakmp)));
        this.processor = new CommandProcessor(modules, security, loop);
        processor.onHandlerFailure((spec, e) -> log.log(Severity.URGENT, "SYS", "BUG", "CMD",
                (spec == null ? "applying the configuration" : spec.title()) + " failed: " + e));
        for (Module m : modules) {
            m.attach(loop);
        }
        system.processor(() -> processor);
        ConfigScript script = new ConfigScript(modules, version());
        config.script(() -> script);
        this.scripts = new ScriptRunner(processor, log, clock);
        SessionRegistry registry = new SessionRegistry(clock, system::idleTimeout);
        this.shell = new ShellContext(processor, auth, system::systemName, clock, system::idleTimeout, registry);
        loop.every(java.time.Duration.ofSeconds(1), shell.registry()::tick);
    }

    /** The platform file's ports, or the AR410's ports unconnected when there is none. */
    private static Map<String, Port> openPorts(Path platform) {
        if (platform == null) {
            return Platform.defaults();
        }
        try {
            return Platform.open(PlatformFile.parse(Files.readString(platform)));
        } catch (IOException e) {
            throw new StoreException("cannot read platform file " + platform + ": " + e.getMessage(), e);
        } catch (PlatformFile.Invalid e) {
            throw new StoreException("platform file " + platform + " " + e.getMessage(), e);
        }
    }

    /**
     * The one list of feature modules, in the order they start. A later module (IP, ENCO,
     * IPSEC ...) is added here with one line.
     */
    private List<Module> modules(List<Module> foundation) {
        return List.copyOf(foundation);
    }

    /** Boots: starts modules, runs the boot script, starts telnet and timers. */
    public void boot() throws InterruptedException {
        log.log(Severity.INFO, "SYS", "RSTRT", "START", "argate " + version() + " booting, data " + options.data().toAbsolutePath());
        String oneShot = null;
        if (options.config() != null) {
            oneShot = importScript(options.config());
        }
        String script = oneShot;
        // the boot runs on the control plane like every later change
        loop.run(() -> startAndLoad(script));
        for (Port p : ports.values()) {
            forwarder.attach(p);
        }
        InetSocketAddress t = options.telnet();
        if (t != null) {
            telnet = new TelnetServer(shell, t, telnetModule.counters());
        }
    }

    /**
     * --config: a script outside flash is copied in first, so RESTART can find it again. A bare
     * name that is not a host file but is a file in flash ("--config rt.cfg" after CREATE
     * CONFIG=rt.cfg) is booted from flash as it is.
     */
    private String importScript(Path file) {
        String name = file.getFileName().toString();
        try {
            boolean inFlash = file.toAbsolutePath().normalize().startsWith(flash.directory().toAbsolutePath().normalize())
                    || (file.getParent() == null && !Files.exists(file) && flash.exists(name));
            if (!inFlash) {
                flash.write(name, Files.readAllBytes(file));
            }
            return io.argate.store.FlashName.parse(name).text();
        } catch (java.nio.file.NoSuchFileException e) {
            log.log(Severity.URGENT, "CFG", "SCRIPT", "ERROR", "cannot boot from " + file + ": no such file on the host or in flash");
            return null;
        } catch (IOException | StoreException e) {
            log.log(Severity.URGENT, "CFG", "SCRIPT", "ERROR", "cannot boot from " + file + ": " + e.getMessage());
            return null;
        }
    }

    private void startAndLoad(String oneShot) {
        for (Module m : modules) {
            m.resetConfig();
        }
        for (Module m : modules) {
            m.start();
        }
        String script = oneShot != null ? oneShot : bootConfig.name();
        if (script != null && flash.exists(script)) {
            currentConfig = script;
            try {
                lastBoot = scripts.run(script, flash.read(script));
            } catch (RuntimeException unreadable) {
                // the router comes up reachable with what loaded, never not at all
                String err = script + ": could not be read: " + unreadable.getMessage();
                log.log(Severity.URGENT, "CFG", "SCRIPT", "ERROR", err);
                lastBoot = new ScriptRunner.Outcome(0, 1, List.of(err));
            }
        } else {
            if (script != null) {
                log.log(Severity.NOTICE, "CFG", "SCRIPT", "NONE", "Boot configuration " + script + " does not exist; factory defaults");
            }
            currentConfig = null;
            lastBoot = new ScriptRunner.Outcome(0, 0, List.of());
        }
        for (Module m : modules) {
            m.booted();
        }
    }

    @Override
    public ScriptRunner.Outcome restart(String oneShotConfig) {
        log.log(Severity.NOTICE, "SYS", "RSTRT", "RESTART", "Router restart" + (oneShotConfig == null ? "" : " with " + oneShotConfig));
        for (int i = modules.size() - 1; i >= 0; i--) {
            modules.get(i).stop();
        }
        startAndLoad(oneShotConfig);
        log.log(Severity.INFO, "SYS", "RSTRT", "DONE", "Router restarted");
        return lastBoot;
    }

    @Override
    public String currentConfig() {
        return currentConfig;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public Path dataDir() {
        return options.data();
    }

    @Override
    public Instant bootTime() {
        return bootTime;
    }

    public ShellContext shell() {
        return shell;
    }

    public EventLog log() {
        return log;
    }

    public Flash flash() {
        return flash;
    }

    public InetSocketAddress telnetAddress() {
        return telnet == null ? null : telnet.address();
    }

    /** The IP forwarding path (tests inspect its counters). */
    public Forwarder forwarder() {
        return forwarder;
    }

    /** The control plane (tests step its clock). */
    public ControlLoop loop() {
        return loop;
    }

    public ScriptRunner.Outcome lastBoot() {
        return lastBoot;
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Stops sessions, telnet, modules and NVS; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shell.registry().closeAll("The router is shutting down.");
        if (telnet != null) {
            telnet.close();
        }
        try {
            loop.run(() -> {
                for (int i = modules.size() - 1; i >= 0; i--) {
                    modules.get(i).stop();
                }
            });
        } finally {
            loop.close();
            keyPairs.close();
        }
        log.log(Severity.INFO, "SYS", "RSTRT", "STOP", "argate shut down");
        for (Port p : ports.values()) {
            p.close();
        }
        nvs.close();
    }
}
