package io.argate.enco.key;

import io.argate.store.Nvs;
import io.argate.store.StoreException;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ENCO keys in NVS, encrypted at rest with AES-256-GCM under a device key kept in the data
 * directory with owner-only permissions (the AR keeps keys in a store apart from scripts; fact
 * sheet 3). The key id is the GCM additional data, so a row cannot be moved to another id.
 */
public final class EncoKeyStore {
    static final String DEVICE_KEY_FILE = "enco.key";

    private final Nvs nvs;
    private final SecretKeySpec deviceKey;
    private final SecureRandom random = new SecureRandom();

    public EncoKeyStore(Nvs nvs, Path dataDir) {
        this.nvs = nvs;
        this.deviceKey = new SecretKeySpec(deviceKey(dataDir.resolve(DEVICE_KEY_FILE)), "AES");
        nvs.migrate("ENCO", List.of(
                "CREATE TABLE IF NOT EXISTS enco_keys(id INT PRIMARY KEY, type VARCHAR(12) NOT NULL, is_text BOOLEAN NOT NULL,"
                        + " description VARCHAR(25), nonce VARBINARY(12) NOT NULL, sealed VARBINARY(300) NOT NULL)",
                // RSA key pairs (PKCS#8, up to 4096 bits) do not fit the first size
                "ALTER TABLE enco_keys ALTER COLUMN sealed SET DATA TYPE VARBINARY(4096)"));
    }

    /** Reads the device key, or makes one (32 random bytes, mode 600) on first boot. */
    private byte[] deviceKey(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] k = Files.readAllBytes(file);
                if (k.length == 32) {
                    return k;
                }
                throw new StoreException("ENCO device key " + file + " is damaged (" + k.length + " bytes); stored keys cannot be read");
            }
            byte[] k = new byte[32];
            random.nextBytes(k);
            Path tmp = file.resolveSibling(DEVICE_KEY_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, k);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return k;
        } catch (IOException e) {
            throw new StoreException("cannot read or create the ENCO device key " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<EncoKey> get(int id) {
        return nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM enco_keys WHERE id = ?")) {
                s.setInt(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(read(r)) : Optional.<EncoKey>empty();
                }
            }
        });
    }

    public List<EncoKey> list() {
        return nvs.transaction(c -> {
            List<EncoKey> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT * FROM enco_keys ORDER BY id"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(read(r));
                }
            }
            return out;
        });
    }

    private EncoKey read(ResultSet r) throws java.sql.SQLException {
        int id = r.getInt("id");
        byte[] value = open(id, r.getBytes("nonce"), r.getBytes("sealed"));
        return new EncoKey(id, KeyType.valueOf(r.getString("type")), value, r.getBoolean("is_text"),
                r.getString("description") == null ? "" : r.getString("description"));
    }

    /** Creates or replaces a key. */
    public void put(EncoKey k) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] sealed = seal(k.id(), nonce, k.value());
        nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("MERGE INTO enco_keys KEY(id) VALUES (?,?,?,?,?,?)")) {
                s.setInt(1, k.id());
                s.setString(2, k.type().name());
                s.setBoolean(3, k.text());
                s.setString(4, k.description());
                s.setBytes(5, nonce);
                s.setBytes(6, sealed);
                return s.executeUpdate();
            }
        });
    }

    public boolean delete(int id) {
        return nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM enco_keys WHERE id = ?")) {
                s.setInt(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    /** Removes every key (boot in normal mode); returns how many there were. */
    public int purge() {
        return nvs.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM enco_keys")) {
                return s.executeUpdate();
            }
        });
    }

    private byte[] seal(int id, byte[] nonce, byte[] value) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, deviceKey, new GCMParameterSpec(128, nonce));
            c.updateAAD(ByteBuffer.allocate(4).putInt(id).array());
            return c.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot encrypt ENCO key " + id + ": " + e.getMessage(), e);
        }
    }

    private byte[] open(int id, byte[] nonce, byte[] sealed) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, deviceKey, new GCMParameterSpec(128, nonce));
            c.updateAAD(ByteBuffer.allocate(4).putInt(id).array());
            return c.doFinal(sealed);
        } catch (GeneralSecurityException e) {
            throw new StoreException("ENCO key " + id + " cannot be decrypted (device key changed or NVS damaged)", e);
        }
    }
}
