package dev.crmkit.bench.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.Page;
import dev.crmkit.TenantConfig;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The full pull of {@link SalesforcePush}, run in a child JVM so the benchmark can give it a heap
 * limit and read its peak heap: every customer of the org through the provider's {@code search},
 * {@value SalesforcePush#PULL_PAGE} per page, each page dropped once counted. (The engine's full pull
 * will read the provider's change feed; the Salesforce provider has none yet, so this reads search,
 * the streaming read it has.)
 */
public final class SalesforcePull {
  private SalesforcePull() {}

  /**
   * Arguments: the emulator's base URL, its access token, the result file. Writes {@code pulled},
   * {@code pages}, {@code seconds}, {@code failure} and the heap figures as properties; exits 0 when it
   * got to writing them.
   *
   * @param args the three arguments
   * @throws IOException when the result file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SalesforcePull <base url> <token> <out>");
    }
    SyncPush.HeapSampler heap = SyncPush.HeapSampler.start();
    int pulled = 0;
    int pages = 0;
    String failure = "";
    long start = System.nanoTime();
    try (IntegrationFactory factory = IntegrationFactory.builder().build()) {
      CustomerSystem system = factory.system(TenantConfig.builder("bench", "salesforce")
          .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, args[0])
          .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, args[1])
          .build());
      Page<Customer> page = system.search(CustomerQuery.builder().limit(SalesforcePush.PULL_PAGE).build());
      while (true) {
        pages++;
        pulled += page.items().size();
        if (!page.hasNext()) {
          break;
        }
        page = page.next();
      }
    } catch (RuntimeException e) {
      failure = e.toString();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Properties p = new Properties();
    p.setProperty("pulled", Integer.toString(pulled));
    p.setProperty("pages", Integer.toString(pages));
    p.setProperty("seconds", Double.toString(seconds));
    p.setProperty("failure", failure);
    p.setProperty("peakHeapUsedBytes", Long.toString(heap.stop()));
    p.setProperty("heapPoolPeaksBytes", Long.toString(SyncPush.HeapSampler.poolPeaks()));
    p.setProperty("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
    try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
      p.store(out, "crmkit salesforce benchmark: one full pull");
    }
  }
}
