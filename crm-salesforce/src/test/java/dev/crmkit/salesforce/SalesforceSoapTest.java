package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.MergeResult;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.OAuth2Token;
import dev.crmkit.http.Sleeper;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Restore and merge through the partner SOAP API against the emulator: the requests as sent (path, headers,
 * envelope), the results, faults, and the session refresh on {@code sf:INVALID_SESSION_ID}.
 */
class SalesforceSoapTest {
  private static final String CLIENT_ID = "3MVG9-consumer-key";
  private static final String CLIENT_SECRET = "consumer-secret-1";
  private static final String SOAP_PATH = "/services/Soap/u/59.0";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:30Z"));
  private final SalesforceEmulator emulator = SalesforceContractTest.crmkitOrg(clock).oauthClient(CLIENT_ID, CLIENT_SECRET)
      .build();
  /** Requests as sent: method, path, headers and body. */
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  /** Runs before a SOAP request reaches the emulator; may answer in its place. */
  private volatile Function<Request, Response> beforeSoap = r -> null;
  private final OkHttpClient client = new OkHttpClient.Builder().addInterceptor(chain -> {
    Request request = chain.request();
    Buffer body = new Buffer();
    if (request.body() != null) {
      request.body().writeTo(body);
    }
    String contentType = request.body() == null || request.body().contentType() == null ? null
        : request.body().contentType().toString();
    sent.add(new Sent(request.method(), request.url().encodedPath(), contentType,
        request.header("SOAPAction"), body.readUtf8()));
    if (request.url().encodedPath().startsWith("/services/Soap/")) {
      Response instead = beforeSoap.apply(request);
      if (instead != null) {
        return instead;
      }
    }
    return chain.proceed(request);
  }).build();
  private final List<OAuth2Token> savedTokens = new CopyOnWriteArrayList<>();

  record Sent(String method, String path, String contentType, String soapAction, String body) {}

  @AfterEach
  void stop() {
    emulator.close();
  }

  private CustomerSystem system(boolean refreshable) {
    return system(refreshable, "Contact");
  }

  private CustomerSystem system(boolean refreshable, String object) {
    TenantConfig.Builder config = TenantConfig.builder("t1", SalesforceCustomerSystemProvider.NAME)
        .setting(SalesforceCustomerSystemProvider.CUSTOMER_OBJECT, object)
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl());
    if (object.equals("Contact")) {
      // The org defines these custom fields on Contact only.
      config.setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + "source", "Source__c")
          .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + "tier", "Tier__c");
    }
    if (refreshable) {
      config.credential("refreshToken", emulator.newRefreshToken()).credential("clientSecret", CLIENT_SECRET)
          .setting("clientId", CLIENT_ID).setting("loginUrl", emulator.baseUrl());
    } else {
      config.credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken());
    }
    return new SalesforceCustomerSystemProvider().create(new ProviderContext(config.build(), clock,
        Map.of(OkHttpClient.class, client, Sleeper.class, (Sleeper) d -> { },
            SalesforceTokenStore.class, (SalesforceTokenStore) (tenant, tokens) -> savedTokens.add(tokens))));
  }

  private List<Sent> soapRequests() {
    return sent.stream().filter(s -> s.path().startsWith("/services/Soap/")).toList();
  }

  @Test
  void restoreSendsUndeleteWithTheSessionInTheSessionHeaderAndReturnsTheLiveCustomer() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().firstName("Back").lastName("Again").email("back@example.com").build());
    system.delete(c.id());
    int usage = emulator.apiUsage();

    Customer restored = system.restore(c.id());

    assertThat(restored.id()).isEqualTo(c.id());
    assertThat(restored.isDeleted()).isFalse();
    assertThat(system.findByEmail("back@example.com")).map(Customer::id).contains(c.id());
    Sent call = soapRequests().get(0);
    assertThat(soapRequests()).hasSize(1);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.path()).isEqualTo(SOAP_PATH);
    assertThat(call.contentType()).startsWith("text/xml");
    assertThat(call.soapAction()).isEqualTo("\"\"");
    assertThat(call.body()).contains("<urn:SessionHeader><urn:sessionId>" + emulator.accessToken() + "</urn:sessionId>")
        .contains("<urn:undelete><urn:ids>" + c.id() + "</urn:ids></urn:undelete>");
    assertThat(emulator.counters().requests(SalesforceCounters.SOAP)).isEqualTo(1);
    assertThat(emulator.apiUsage()).isGreaterThan(usage);
  }

  @Test
  void restoringALiveCustomerReturnsItWithoutASoapCall() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().lastName("Live").build());

    assertThat(system.restore(c.id())).isEqualTo(system.require(c.id()));
    assertThat(soapRequests()).isEmpty();
  }

  @Test
  void restoreOfAnUnknownIdIsNotFoundAndOfANullIdAValidationError() {
    CustomerSystem system = system(false);

    assertThatThrownBy(() -> system.restore("003000000000999AAA")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> system.restore(null)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("id"));
    assertThat(soapRequests()).isEmpty();
  }

  @Test
  void aRecordNoLongerInTheRecycleBinWhenUndeleteRunsIsNotFoundWithSalesforcesCode() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().lastName("Raced").build());
    system.delete(c.id());
    // Someone else restores it between the read and the undelete call.
    beforeSoap = r -> {
      emulator.undelete(c.id());
      return null;
    };

    assertThatThrownBy(() -> system.restore(c.id())).isInstanceOfSatisfying(NotFoundException.class,
        e -> assertThat(e.vendorCode()).isEqualTo("UNDELETE_FAILED"));
  }

  @Test
  void restoreWhenTheEmailWasTakenMeanwhileIsAConflictAndSendsNothing() {
    CustomerSystem system = system(false);
    Customer old = system.create(CustomerDraft.builder().lastName("Old").email("taken@example.com").build());
    system.delete(old.id());
    Customer taker = system.create(CustomerDraft.builder().lastName("New").email("taken@example.com").build());

    assertThatThrownBy(() -> system.restore(old.id())).isInstanceOfSatisfying(ConflictException.class, e -> {
      assertThat(e.field()).isEqualTo("email");
      assertThat(e.existingId()).isEqualTo(taker.id());
    });
    assertThat(soapRequests()).isEmpty();
  }

  @Test
  void mergeSendsTheSurvivorsMissingValuesInMasterRecordAndCountsTheMovedActivities() {
    CustomerSystem system = system(false);
    Customer survivor = system.create(CustomerDraft.builder().firstName("Sam").lastName("Keep").email("sam@example.com")
        .customField("tier", "gold").build());
    Customer merged = system.create(CustomerDraft.builder().firstName("Samuel").lastName("Fold").phone("+14155550100")
        .customField("tier", "silver").customField("source", "fair").build());
    system.addActivity(merged.id(), ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "called"));

    MergeResult result = system.merge(survivor.id(), merged.id());

    assertThat(result.mergedId()).isEqualTo(merged.id());
    assertThat(result.activitiesMoved()).isEqualTo(1);
    assertThat(result.notesMoved()).isZero();
    Customer s = result.survivor();
    assertThat(s.id()).isEqualTo(survivor.id());
    assertThat(s.firstName()).isEqualTo("Sam");
    assertThat(s.lastName()).isEqualTo("Keep");
    assertThat(s.phone()).isEqualTo("+14155550100");
    assertThat(s.customFields()).isEqualTo(Map.of("tier", "gold", "source", "fair"));
    Sent call = soapRequests().get(0);
    assertThat(soapRequests()).hasSize(1);
    assertThat(call.body()).contains("<urn:merge><urn:request><urn:masterRecord><sobj:type>Contact</sobj:type>"
        + "<sobj:Id>" + survivor.id() + "</sobj:Id>")
        .contains("<sobj:Phone>+14155550100</sobj:Phone>").contains("<sobj:Source__c>fair</sobj:Source__c>")
        .contains("<urn:recordToMergeIds>" + merged.id() + "</urn:recordToMergeIds>")
        .doesNotContain("Samuel").doesNotContain("silver");
    assertThat(system.listActivities(survivor.id(), dev.crmkit.PageRequest.first()).items())
        .extracting(dev.crmkit.CustomerActivity::description).containsExactly("called");
  }

  @Test
  void aMergedRecordsGetFollowsMasterRecordIdToTheSurvivor() {
    CustomerSystem system = system(false);
    Customer survivor = system.create(CustomerDraft.builder().lastName("Keep").build());
    Customer merged = system.create(CustomerDraft.builder().lastName("Fold").build());

    system.merge(survivor.id(), merged.id());

    assertThat(emulator.record(merged.id()).orElseThrow()).containsEntry("MasterRecordId", survivor.id())
        .containsEntry("IsDeleted", true);
    assertThat(system.get(merged.id())).map(Customer::id).contains(survivor.id());
    assertThat(system.get(merged.id()).orElseThrow().isDeleted()).isFalse();
  }

  @Test
  void mergeRefusesTheSameCustomerAndDeletedOrUnknownOnesBeforeAnySoapCall() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().lastName("Only").build());
    Customer gone = system.create(CustomerDraft.builder().lastName("Gone").build());
    system.delete(gone.id());

    assertThatThrownBy(() -> system.merge(c.id(), c.id())).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("mergedId"));
    assertThatThrownBy(() -> system.merge(c.id(), gone.id())).isInstanceOfSatisfying(NotFoundException.class,
        e -> assertThat(e.vendorCode()).isEqualTo("ENTITY_IS_DELETED"));
    assertThatThrownBy(() -> system.merge(c.id(), "003000000000999AAA")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> system.merge(null, c.id())).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("survivorId"));
    assertThat(soapRequests()).isEmpty();
  }

  @Test
  void aMergeResultsErrorIsMappedByItsStatusCode() {
    CustomerSystem system = system(false);
    Customer survivor = system.create(CustomerDraft.builder().lastName("Keep").build());
    Customer merged = system.create(CustomerDraft.builder().lastName("Fold").build());
    // Deleted in Salesforce between the read and the merge.
    beforeSoap = r -> {
      emulator.delete(merged.id());
      return null;
    };

    assertThatThrownBy(() -> system.merge(survivor.id(), merged.id())).isInstanceOfSatisfying(NotFoundException.class,
        e -> assertThat(e.vendorCode()).isEqualTo("ENTITY_IS_DELETED"));
  }

  @Test
  void anExpiredSessionIsRefreshedAndTheSoapCallRepeatedOnceWithTheNewSession() {
    CustomerSystem system = system(true);
    Customer c = system.create(CustomerDraft.builder().lastName("Back").build());
    system.delete(c.id());
    int[] expirations = {0};
    beforeSoap = r -> {
      if (expirations[0]++ == 0) {
        emulator.expireSessions();
      }
      return null;
    };

    assertThat(system.restore(c.id()).isDeleted()).isFalse();

    List<Sent> calls = soapRequests();
    assertThat(calls).hasSize(2);
    String first = session(calls.get(0).body());
    String second = session(calls.get(1).body());
    assertThat(second).isNotEqualTo(first).isEqualTo(savedTokens.get(savedTokens.size() - 1).accessToken());
  }

  @Test
  void anExpiredSessionThatCannotBeRefreshedIsAnAuthenticationErrorAfterOneCall() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().lastName("Back").build());
    system.delete(c.id());
    beforeSoap = r -> {
      emulator.expireSessions();
      return null;
    };

    assertThatThrownBy(() -> system.restore(c.id())).isInstanceOfSatisfying(AuthenticationException.class,
        e -> assertThat(e.vendorCode()).isEqualTo("INVALID_SESSION_ID"));
    assertThat(soapRequests()).hasSize(1);
  }

  @Test
  void aRequestLimitFaultIsRateLimitedAndMarksTheDailyBudgetSpent() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().lastName("Back").build());
    system.delete(c.id());
    beforeSoap = r -> fault(r, 500, "<soapenv:Fault><faultcode>sf:REQUEST_LIMIT_EXCEEDED</faultcode><faultstring>"
        + "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.</faultstring></soapenv:Fault>");

    assertThatThrownBy(() -> system.restore(c.id())).isInstanceOfSatisfying(RateLimitedException.class,
        e -> assertThat(e.vendorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED"));
    // The budget is spent: the next call is refused before it is sent.
    int before = sent.size();
    assertThatThrownBy(() -> system.get(c.id())).isInstanceOf(RateLimitedException.class);
    assertThat(sent).hasSize(before);
  }

  @Test
  void aServerFaultIsAServerErrorAndTheMergeIsNotRepeated() {
    CustomerSystem system = system(false);
    Customer survivor = system.create(CustomerDraft.builder().lastName("Keep").build());
    Customer merged = system.create(CustomerDraft.builder().lastName("Fold").build());
    beforeSoap = r -> fault(r, 500, "<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>"
        + "UNKNOWN_EXCEPTION: An unexpected error occurred</faultstring></soapenv:Fault>");

    assertThatThrownBy(() -> system.merge(survivor.id(), merged.id())).isInstanceOf(ServerException.class);
    assertThat(soapRequests()).hasSize(1);
  }

  @Test
  void aFaultWithADoctypeIsNeitherExpandedNorTrusted() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().lastName("Back").build());
    system.delete(c.id());
    String evil = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body><soapenv:Fault>"
        + "<faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>&x;</faultstring></soapenv:Fault></soapenv:Body>"
        + "</soapenv:Envelope>";
    beforeSoap = r -> raw(r, 500, evil);

    assertThatThrownBy(() -> system.restore(c.id())).isInstanceOf(ServerException.class)
        .isNotInstanceOf(AuthenticationException.class)
        .satisfies(e -> assertThat(((CrmException) e).vendorCode()).isNull())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("root:"));
  }

  @Test
  void anUnreadableSuccessAnswerIsAnErrorNotASuccess() {
    CustomerSystem system = system(false);
    Customer c = system.create(CustomerDraft.builder().lastName("Back").build());
    system.delete(c.id());
    beforeSoap = r -> raw(r, 200, "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        + "<soapenv:Body><undeleteResponse xmlns=\"urn:partner.soap.sforce.com\"><result>");

    assertThatThrownBy(() -> system.restore(c.id())).isInstanceOf(CrmException.class)
        .hasMessageContaining("unreadable SOAP answer");
  }

  private static String session(String envelope) {
    int start = envelope.indexOf("<urn:sessionId>") + "<urn:sessionId>".length();
    return envelope.substring(start, envelope.indexOf("</urn:sessionId>"));
  }

  private static Response fault(Request request, int status, String fault) {
    return raw(request, status, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv="
        + "\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:sf=\"urn:fault.partner.soap.sforce.com\"><soapenv:Body>"
        + fault + "</soapenv:Body></soapenv:Envelope>");
  }

  private static Response raw(Request request, int status, String xml) {
    return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(status).message("answer")
        .body(ResponseBody.create(xml, MediaType.get("text/xml; charset=utf-8"))).build();
  }
}
