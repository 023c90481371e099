package dev.crmkit.bench.internal;

import dev.crmkit.ChangeBatch;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The full pull of {@link SalesforcePush}, run in a child JVM so the benchmark can give it a heap
 * limit and read its peak heap: every customer of the org through the provider's change feed, the sync
 * engine's full pull: {@code changesSince(null, }{@value SalesforcePush#PULL_PAGE}{@code )}, then from each
 * batch's cursor until a batch says it has no more, each batch dropped once counted. The provider reads one
 * SOQL page per call, so the pull never holds the whole org.
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
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SalesforcePull <base url> <token> <out>");
    }
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
        cursor = batch.nextCursor();
        longestCursor = Math.max(longestCursor, cursor == null ? 0 : cursor.length());
        if (!batch.hasMore()) {
          break;
        }
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
    p.setProperty("longestCursor", Integer.toString(longestCursor));
    p.setProperty("peakHeapUsedBytes", Long.toString(heap.stop()));
    p.setProperty("heapPoolPeaksBytes", Long.toString(SyncPush.HeapSampler.poolPeaks()));
    p.setProperty("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
    try (OutputStream out = Files.newOutputStream(Path.of(args[2]))) {
      p.store(out, "crmkit salesforce benchmark: one full pull");
    }
  }
}
