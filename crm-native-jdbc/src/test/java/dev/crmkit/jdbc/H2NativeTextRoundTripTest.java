package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;

class H2NativeTextRoundTripTest extends NativeTextRoundTripProperties {
  @Override
  DataSource createDataSource() {
    try {
      return new DriverManagerDataSource("jdbc:h2:file:" + Files.createTempDirectory("crmkit-h2").resolve("crm")
          + ";LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1", "sa", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
