package dev.crmkit.examples.quickstart;

import dev.crmkit.Channel;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult;
import dev.crmkit.inbound.InboundMessage;
import java.time.Instant;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The README's quick start as a program: the native store on an embedded H2 file database, one
 * inbound WhatsApp message handled twice (the second time as a redelivery).
 *
 * <pre>{@code
 * java -cp examples/target/crmkit.jar dev.crmkit.examples.quickstart.QuickStart [H2 file path]
 * }</pre>
 */
public final class QuickStart {
  private QuickStart() {}

  /** Runs the quick start on {@code ./crmkit-data/quickstart} or the H2 file path given. */
  public static void main(String[] args) {
    String path = args.length > 0 ? args[0] : "./crmkit-data/quickstart";
    for (FirstContactResult r : run(path)) {
      System.out.println(r.outcome() + " " + r.customer().id() + " " + r.customer().phone());
    }
  }

  /**
   * Handles the same message twice on a fresh or existing H2 file database.
   *
   * @param h2File H2 database file path without extension
   * @return the two results: CREATED then DUPLICATE; DUPLICATE twice on a database that already saw the message
   */
  public static FirstContactResult[] run(String h2File) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:file:" + h2File);

    try (IntegrationFactory factory = IntegrationFactory.builder()
        .resource(DataSource.class, dataSource)   // the host's pool; the schema is migrated on first use
        .build()) {
      CustomerSystem crm = factory.system(
          TenantConfig.builder("acme", "native").setting(TenantConfig.DEFAULT_REGION, "US").build());

      FirstContactHandler inbound = FirstContactHandler.builder(crm).defaultRegion("US").build();
      InboundMessage message = new InboundMessage(
          "acme", Channel.WHATSAPP, "+1 (415) 555-0100", "Ada Lovelace", "Can I book for Friday?",
          "wamid.HBgLMTQxNTU1NTAxMDA", Instant.now());
      FirstContactResult first = inbound.handle(message);
      FirstContactResult again = inbound.handle(message);
      return new FirstContactResult[] {first, again};
    }
  }
}
