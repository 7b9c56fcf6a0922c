package io.argate.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done inside one NVS transaction; see {@link Nvs#transaction(SqlWork)}. */
@FunctionalInterface
public interface SqlWork<T> {

    T run(Connection c) throws SQLException;
}
