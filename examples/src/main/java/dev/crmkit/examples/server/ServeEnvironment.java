package dev.crmkit.examples.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.integrations.IntegrationJobs;
import dev.crmkit.integrations.IntegrationSchema;
import dev.crmkit.integrations.IntegrationService;
import dev.crmkit.integrations.KeyRing;
import dev.crmkit.integrations.KeyRings;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.hubspot.HubSpotCustomerSystemProvider;
import dev.crmkit.provider.CredentialListener;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Everything {@code crmkit serve} runs, in one object a test can start too: an H2 file database (the
 * native store's default, as {@code crmkit demo} uses) under the data directory, the HubSpot and
 * Salesforce emulators from crm-testkit on loopback, an {@link IntegrationService} on that database
 * with its {@link IntegrationJobs} (scheduled delta syncs, health checks, retries, cleanup), the
 * {@link IntegrationsServer}, and demo tenants with bearer tokens.
 *
 * <p>The emulators listen on the server's port + 1 (HubSpot) and + 2 (Salesforce) when the port is
 * fixed, so integrations saved in the database keep pointing at them after a restart; their
 * records live in memory and start empty. The HubSpot emulator posts its signed webhooks, and the
 * Salesforce emulator its outbound messages for Contacts, to this server's {@code
 * /webhooks/integrations/{platform}} when {@link #flushWebhooks()} runs.
 *
 * <p>Credentials are sealed under {@link Builder#keyRing} when given; otherwise under the key ring of
 * the {@code CRMKIT_KEYS} environment variable when set; otherwise under a development key kept in
 * {@code <data-dir>/serve-secrets.properties} with the tokens, and {@link #warnings()} says so.
 */
public final class ServeEnvironment implements AutoCloseable {
  /** The demo tenants {@code crmkit serve} creates. */
  public static final List<String> DEMO_TENANTS = List.of("acme", "globex");

  private final List<AutoCloseable> opened;
  private final HubSpotEmulator hubspot;
  private final SalesforceEmulator salesforce;
  private final IntegrationService service;
  private final IntegrationsServer server;
  private final Map<String, String> tokens;
  private final Map<String, String> emulatorSecrets;
  private final List<String> warnings;

  private ServeEnvironment(List<AutoCloseable> opened, HubSpotEmulator hubspot, SalesforceEmulator salesforce,
      IntegrationService service, IntegrationsServer server, Map<String, String> tokens,
      Map<String, String> emulatorSecrets, List<String> warnings) {
    this.opened = opened;
    this.hubspot = hubspot;
    this.salesforce = salesforce;
    this.service = service;
    this.server = server;
    this.tokens = tokens;
    this.emulatorSecrets = emulatorSecrets;
    this.warnings = warnings;
  }

  /** A builder with the defaults of {@code crmkit serve}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The running server. */
  public IntegrationsServer server() {
    return server;
  }

  /** The service behind it. */
  public IntegrationService service() {
    return service;
  }

  /** The HubSpot emulator. */
  public HubSpotEmulator hubspot() {
    return hubspot;
  }

  /** The Salesforce emulator (crmkit's custom fields, an OAuth connected app). */
  public SalesforceEmulator salesforce() {
    return salesforce;
  }

  /** Each demo tenant's bearer token, in tenant order. */
  public Map<String, String> tokens() {
    return tokens;
  }

  /** The page URL that signs a tenant in: {@code <base>/#token=<token>} (a fragment never reaches a server log). */
  public String signInUrl(String tenant) {
    String token = Objects.requireNonNull(tokens.get(tenant), () -> "no demo tenant '" + tenant + "'");
    return server.url() + "/#token=" + token;
  }

  /** The HubSpot OAuth app's client id (it also signs HubSpot's webhooks with its secret). */
  public String hubspotClientId() {
    return emulatorSecrets.get("hubspot.clientId");
  }

  /** The HubSpot OAuth app's client secret, which signs the emulator's webhooks. */
  public String hubspotClientSecret() {
    return emulatorSecrets.get("hubspot.clientSecret");
  }

  /** The Salesforce connected app's consumer key. */
  public String salesforceClientId() {
    return emulatorSecrets.get("salesforce.clientId");
  }

  /** The Salesforce connected app's consumer secret. */
  public String salesforceClientSecret() {
    return emulatorSecrets.get("salesforce.clientSecret");
  }

  /** What the operator should know, such as the development key in use; empty when nothing. */
  public List<String> warnings() {
    return warnings;
  }

  /** Posts what the emulators have queued (HubSpot webhooks, Salesforce outbound messages) to this server. */
  public void flushWebhooks() {
    hubspot.webhooks().flush();
    salesforce.outboundMessages().flush();
  }

  /** Stops the server (waiting for calls in progress), then the jobs, the service, the emulators and the database. */
  @Override
  public void close() {
    closeAll(opened);
  }

  private static void closeAll(List<AutoCloseable> opened) {
    RuntimeException first = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("could not close " + opened.get(i).getClass().getSimpleName(), e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Builds and starts a {@link ServeEnvironment}. */
  public static final class Builder {
    private int port = 8080;
    private Path dataDir = Path.of("crmkit-data");
    private String jdbcUrl;
    private KeyRing keyRing;
    private Map<String, String> environment = System.getenv();
    private List<String> tenants = DEMO_TENANTS;
    private boolean seedCustomers;

    private Builder() {}

    /** The server's loopback port, 0 for a free one (the emulators then take free ones too); default 8080. */
    public Builder port(int port) {
      if (port < 0 || port > 65_533) {
        throw new IllegalArgumentException("port must be 0 to 65533 (the emulators take port+1 and port+2), was " + port);
      }
      this.port = port;
      return this;
    }

    /** Where the H2 database and the development secrets live; default {@code ./crmkit-data}. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Another database than the H2 file under the data directory, such as an in-memory H2 for tests. */
    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      return this;
    }

    /** The key ring sealing credentials; default from {@code CRMKIT_KEYS}, else a development key. */
    public Builder keyRing(KeyRing keyRing) {
      this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
      return this;
    }

    /** The environment {@code CRMKIT_KEYS} is read from; default {@link System#getenv()}. */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
      return this;
    }

    /** The demo tenants; default {@link #DEMO_TENANTS}. */
    public Builder tenants(List<String> tenants) {
      Objects.requireNonNull(tenants, "tenants");
      if (tenants.isEmpty()) {
        throw new IllegalArgumentException("tenants must name at least one tenant");
      }
      this.tenants = List.copyOf(tenants);
      return this;
    }

    /**
     * Whether each demo tenant's native store gets eight customers on its first start (when it holds
     * none), so that a first "sync now" has something to push; default false ({@code crmkit serve} turns
     * it on).
     */
    public Builder seedCustomers(boolean v) {
      this.seedCustomers = v;
      return this;
    }

    /**
     * Starts everything; on a failure, closes what was started and rethrows.
     *
     * @throws java.io.UncheckedIOException when a port cannot be bound or the data directory not written
     * @throws dev.crmkit.error.ConfigurationException when {@code CRMKIT_KEYS} or {@code CRMKIT_CURRENT_KEY} is
     *     malformed (the message names the entry, never a key)
     */
    public ServeEnvironment start() {
      List<AutoCloseable> opened = new ArrayList<>();
      try {
        return start(opened);
      } catch (RuntimeException e) {
        try {
          closeAll(opened);
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
    }

    private ServeEnvironment start(List<AutoCloseable> opened) {
      ServeSecrets secrets = ServeSecrets.in(dataDir);
      List<String> warnings = new ArrayList<>();
      KeyRing keys = keyRing != null ? keyRing : keyRing(secrets, warnings);
      Map<String, String> tokens = new LinkedHashMap<>();
      for (String tenant : tenants) {
        tokens.put(tenant, secrets.get("token." + tenant, TenantTokens::newToken));
      }
      Map<String, String> emulatorSecrets = new LinkedHashMap<>();
      for (String key : List.of("hubspot.clientId", "hubspot.clientSecret", "salesforce.clientId", "salesforce.clientSecret")) {
        emulatorSecrets.put(key, secrets.get(key, () -> ServeSecrets.random(24)));
      }
      String hubspotToken = secrets.get("hubspot.accessToken", () -> "pat-na1-" + ServeSecrets.random(24));
      String salesforceToken = secrets.get("salesforce.accessToken", () -> "00D000000000001!AQ" + ServeSecrets.random(24));
      secrets.save();

      HubSpotEmulator hubspot = HubSpotEmulator.builder()
          .port(port == 0 ? 0 : port + 1)
          .accessToken(hubspotToken)
          .oauthClient(emulatorSecrets.get("hubspot.clientId"), emulatorSecrets.get("hubspot.clientSecret"))
          .build();
      opened.add(hubspot);
      SalesforceEmulator salesforce = SalesforceEmulator.builder()
          .port(port == 0 ? 0 : port + 2)
          .crmkitFields()
          .accessToken(salesforceToken)
          .oauthClient(emulatorSecrets.get("salesforce.clientId"), emulatorSecrets.get("salesforce.clientSecret"))
          .build();
      opened.add(salesforce);

      HikariDataSource dataSource = dataSource(jdbcUrl != null ? jdbcUrl
          : "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("crmkit") + ";AUTO_SERVER=FALSE");
      opened.add(dataSource);
      IntegrationSchema.migrate(dataSource);
      if (seedCustomers) {
        tenants.forEach(tenant -> seedCustomers(dataSource, tenant));
      }
      IntegrationService.Builder services = IntegrationService.builder().dataSource(dataSource).keyRing(keys);
      // Tokens the providers refresh go back into the integration's sealed credentials.
      // The catalogue offers the vendors a tenant connects; the native store is the local side of every
      // integration (not a catalogue entry), and the memory and csv-file providers are for tests and examples.
      IntegrationFactory factory = IntegrationFactory.builder()
          .serviceLoading(false)
          .provider(new HubSpotCustomerSystemProvider())
          .provider(new SalesforceCustomerSystemProvider())
          .resource(DataSource.class, dataSource)
          .resource(CredentialListener.class, services.credentialListener())
          .build();
      opened.add(factory);
      IntegrationService service = services.factory(factory).build();
      opened.add(service);
      // Delta syncs by schedule, health checks, conflict counts, retries and log cleanup; closed before the service.
      IntegrationJobs jobs = IntegrationJobs.builder(service, dataSource).build();
      opened.add(jobs);
      jobs.start();

      IntegrationsServer server = IntegrationsServer.builder()
          .service(service)
          .tokens(TenantTokens.of(invert(tokens)))
          .bind(new InetSocketAddress("127.0.0.1", port))
          .start();
      opened.add(server);
      hubspot.webhooks().target(server.url() + "/webhooks/integrations/hubspot", emulatorSecrets.get("hubspot.clientSecret"));
      salesforce.outboundMessages().target(server.url() + "/webhooks/integrations/salesforce", "Contact");
      return new ServeEnvironment(List.copyOf(opened), hubspot, salesforce, service, server, Map.copyOf(tokens),
          Map.copyOf(emulatorSecrets), List.copyOf(warnings));
    }

    private KeyRing keyRing(ServeSecrets secrets, List<String> warnings) {
      String fromEnvironment = environment.get(KeyRings.KEYS_VARIABLE);
      if (fromEnvironment != null && !fromEnvironment.isBlank()) {
        return KeyRings.fromEnvironment(environment);
      }
      String key = secrets.get("credentialKey.dev", () -> ServeSecrets.random(KeyRings.KEY_BYTES));
      warnings.add("credentials are sealed under a development key kept in " + secrets.file()
          + "; set " + KeyRings.KEYS_VARIABLE + " for anything but a demo");
      return KeyRings.of("dev", Map.of("dev", Base64.getUrlDecoder().decode(key)));
    }

    /**
     * A few customers in a demo tenant's native store on its first start, so that the first "sync now" has
     * something to push; a store that holds any customer (an earlier start, the tenant's own) is left alone.
     */
    private static void seedCustomers(DataSource dataSource, String tenant) {
      try (NativeCustomerSystem store = NativeCustomerSystem.open(dataSource, tenant, Clock.systemUTC(),
          PhoneNumbers.forRegion("US"))) {
        if (!store.search(CustomerQuery.builder().limit(1).build()).items().isEmpty()) {
          return;
        }
        String[][] people = {{"Ada", "Lovelace"}, {"Grace", "Hopper"}, {"Alan", "Turing"}, {"Katherine", "Johnson"},
            {"Edsger", "Dijkstra"}, {"Barbara", "Liskov"}, {"Donald", "Knuth"}, {"Margaret", "Hamilton"}};
        for (int i = 0; i < people.length; i++) {
          store.create(CustomerDraft.builder().firstName(people[i][0]).lastName(people[i][1])
              .email(people[i][0].toLowerCase(java.util.Locale.ROOT) + "." + people[i][1].toLowerCase(java.util.Locale.ROOT)
                  + "@" + tenant + ".example")
              .phone("+1415555" + String.format("%04d", 100 + i)).build());
        }
      }
    }

    private static Map<String, String> invert(Map<String, String> tenantToToken) {
      Map<String, String> tokenToTenant = new LinkedHashMap<>();
      tenantToToken.forEach((tenant, token) -> tokenToTenant.put(token, tenant));
      return tokenToTenant;
    }

    private static HikariDataSource dataSource(String jdbcUrl) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(jdbcUrl);
      config.setMaximumPoolSize(8);
      config.setPoolName("crmkit-serve");
      return new HikariDataSource(config);
    }
  }
}
