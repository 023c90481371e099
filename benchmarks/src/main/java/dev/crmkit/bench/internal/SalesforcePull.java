package dev.crmkit.bench.internal;

import dev.crmkit.ChangeBatch;
import dev.crmkit.Customer;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Page;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * The full pull of {@link SalesforcePush}, run in a child JVM so the benchmark can give it a heap
 * limit and read its peak heap: every customer of the org through the provider's change feed, the sync
 * engine's full pull: {@code changesSince(null, }{@value SalesforcePush#PULL_PAGE}{@code )}, then from each
 * batch's cursor until a batch says it has no more, each batch dropped once counted. The provider reads one
 * SOQL page per call, so the pull never holds the whole org. A feed that has not caught up after
 * {@code 1.5 × records / 1000 + 10} calls is stopped and reported as not complete, with the changes and the
 * distinct ids it got (the ids are kept in a set to tell re-deliveries from progress). Then, for comparison,
 * the same customers through {@code search}, {@value SalesforcePush#PULL_PAGE} per page.
 */
public final class SalesforcePull {
  private SalesforcePull() {}

  /**
   * Arguments: the emulator's base URL, its access token, the result file. Writes {@code pulled} (changes
   * received), {@code pages} (calls of {@code changesSince}), {@code seconds}, {@code failure}, the longest
   * cursor in characters and the heap figures as properties; exits 0 when it got to writing them.
   *
   * @param args the three arguments
   * @throws IOException when the result file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: SalesforcePull <base url> <token> <out> <records>");
    }
    int records = Integer.parseInt(args[3]);
    int maxCalls = records * 3 / 2 / SalesforcePush.PULL_PAGE + 10;
    Set<String> ids = new HashSet<>();
    int searchPulled = 0;
    int searchPages = 0;
    double searchSeconds = Double.NaN;
    SyncPush.HeapSampler heap = SyncPush.HeapSampler.start();
    int pulled = 0;
    int pages = 0;
    int longestCursor = 0;
    String failure = "";
    long start = System.nanoTime();
    try (IntegrationFactory factory = IntegrationFactory.builder().build()) {
      CustomerSystem system = factory.system(TenantConfig.builder("bench", "salesforce")
          .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, args[0])
          .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, args[1])
          .build());
      String cursor = null;
      while (true) {
        ChangeBatch batch = system.changesSince(cursor, SalesforcePush.PULL_PAGE);
        pages++;
        pulled += batch.changes().size();
        for (CustomerChange c : batch.changes()) {
          ids.add(c.customer().id());
        }
        cursor = batch.nextCursor();
        longestCursor = Math.max(longestCursor, cursor == null ? 0 : cursor.length());
        if (!batch.hasMore()) {
          break;
        }
        if (pages >= maxCalls) {
          failure = "not caught up after " + pages + " calls of changesSince: " + pulled + " changes, "
              + ids.size() + " distinct customers";
          break;
        }
      }
      long searchStart = System.nanoTime();
      Page<Customer> page = system.search(CustomerQuery.builder().limit(SalesforcePush.PULL_PAGE).build());
      while (true) {
        searchPages++;
        searchPulled += page.items().size();
        if (!page.hasNext()) {
          break;
        }
        page = page.next();
      }
      searchSeconds = (System.nanoTime() - searchStart) / 1e9;
    } catch (RuntimeException e) {
      failure = e.toString();
    }
    double seconds = (System.nanoTime() - start) / 1e9 - (Double.isNaN(searchSeconds) ? 0 : searchSeconds);
    Properties p = new Properties();
    p.setProperty("pulled", Integer.toString(pulled));
    p.setProperty("pages", Integer.toString(pages));
    p.setProperty("seconds", Double.toString(seconds));
    p.setProperty("failure", failure);
    p.setProperty("longestCursor", Integer.toString(longestCursor));
    p.setProperty("distinct", Integer.toString(ids.size()));
    p.setProperty("searchPulled", Integer.toString(searchPulled));
    p.setProperty("searchPages", Integer.toString(searchPages));
    p.setProperty("searchSeconds", Double.toString(searchSeconds));
    p.setProperty("peakHeapUsedBytes", Long.toString(heap.stop()));
    p.setProperty("heapPoolPeaksBytes", Long.toString(SyncPush.HeapSampler.poolPeaks()));
    p.setProperty("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
    try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
      p.store(out, "crmkit salesforce benchmark: one full pull");
    }
  }
}
