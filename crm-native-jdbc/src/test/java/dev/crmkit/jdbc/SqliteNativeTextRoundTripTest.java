package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;

class SqliteNativeTextRoundTripTest extends NativeTextRoundTripProperties {
  @Override
  DataSource createDataSource() {
    try {
      return new DriverManagerDataSource("jdbc:sqlite:" + Files.createTempDirectory("crmkit-sqlite").resolve("crm.db")
          + "?busy_timeout=20000&journal_mode=WAL", null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
