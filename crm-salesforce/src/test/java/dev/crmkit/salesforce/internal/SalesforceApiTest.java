package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Page;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.StaticToken;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceApiTest {
  private final MockWebServer server = new MockWebServer();

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void queryPagesFollowNextRecordsUrlWithTheBatchSizeAndWithoutTheQuery() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"totalSize\":3,\"done\":false,"
        + "\"nextRecordsUrl\":\"/services/data/v59.0/query/01gD0000002HU6KIAW-2\","
        + "\"records\":[{\"Id\":\"a\"},{\"Id\":\"b\"}]}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"totalSize\":3,\"done\":true,\"records\":[{\"Id\":\"c\"}]}")
        .addHeader("Sforce-Limit-Info", "api-usage=42/15000").build());
    server.start();
    SalesforceApi api = api();

    Page<Map<String, Object>> page = api.query("SELECT Id FROM Contact", false, 200);

    assertThat(page.stream().map(r -> r.get("Id"))).containsExactly("a", "b", "c");
    RecordedRequest first = server.takeRequest();
    assertThat(first.getUrl().encodedPath()).isEqualTo("/services/data/v59.0/query");
    assertThat(first.getUrl().queryParameter("q")).isEqualTo("SELECT Id FROM Contact");
    assertThat(first.getHeaders().get("Sforce-Query-Options")).isEqualTo("batchSize=200");
    RecordedRequest second = server.takeRequest();
    assertThat(second.getUrl().encodedPath()).isEqualTo("/services/data/v59.0/query/01gD0000002HU6KIAW-2");
    assertThat(second.getUrl().queryParameter("q")).isNull();
    assertThat(second.getHeaders().get("Sforce-Query-Options")).isEqualTo("batchSize=200");
    assertThat(api.usage().used()).isEqualTo(42);
    assertThat(api.usage().limit()).isEqualTo(15000);
  }

  @Test
  void aNextRecordsUrlOutsideTheQueryResourceIsRefused() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"done\":false,"
        + "\"nextRecordsUrl\":\"/services/data/v59.0/sobjects/User\",\"records\":[]}").build());
    server.start();

    assertThatThrownBy(() -> api().query("SELECT Id FROM Contact", false, 200).next())
        .hasMessageContaining("unexpected nextRecordsUrl");
  }

  @Test
  void errorsOfLaterPagesAreTypedByTheirCode() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("{\"done\":false,"
        + "\"nextRecordsUrl\":\"/services/data/v59.0/query/01g-2\",\"records\":[]}").build());
    server.enqueue(new MockResponse.Builder().code(400)
        .body("[{\"errorCode\":\"INVALID_QUERY_LOCATOR\",\"message\":\"invalid query locator\"}]").build());
    server.start();
    Page<Map<String, Object>> page = api().query("SELECT Id FROM Contact", false, 200);

    assertThatThrownBy(page::next).satisfies(e -> {
      assertThat(e.getClass()).isEqualTo(dev.crmkit.error.CrmException.class);
      assertThat(((dev.crmkit.error.CrmException) e).vendorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
    });
  }

  @Test
  void aCollectionsCallOfMoreThan200RecordsIsABug() throws Exception {
    server.start();
    List<Map<String, Object>> records = java.util.Collections.nCopies(201, Map.of());

    assertThatThrownBy(() -> api().collection(true, records)).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void deleteOfAMissingRecordIsNotFound() throws Exception {
    server.enqueue(new MockResponse.Builder().code(404)
        .body("[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]").build());
    server.start();

    assertThatThrownBy(() -> api().delete("Contact", "003000000000001AAA")).isInstanceOf(NotFoundException.class);
    assertThat(server.takeRequest().getMethod()).isEqualTo("DELETE");
  }

  private SalesforceApi api() {
    HttpConnector connector = HttpConnector.builder().vendor("salesforce").baseUrl(server.url("/").toString())
        .clock(Clock.systemUTC()).auth(StaticToken.of("t")).errorParser(new SalesforceErrors()).build();
    ApiUsage usage = new ApiUsage(Clock.systemUTC(), 10);
    usage.recordLimits(100_000, 99_000);
    return new SalesforceApi(connector, "v59.0", usage);
  }
}
