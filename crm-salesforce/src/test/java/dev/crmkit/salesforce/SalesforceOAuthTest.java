package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.http.OAuth2Token;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An expired session (401 INVALID_SESSION_ID) is refreshed at the login host and the call repeated once. */
class SalesforceOAuthTest {
  private final MockWebServer instance = new MockWebServer();
  private final MockWebServer login = new MockWebServer();

  @AfterEach
  void stop() throws Exception {
    instance.close();
    login.close();
  }

  @Test
  void anInvalidSessionIsRefreshedOnceAndTheNewTokenHandedToTheHost() throws Exception {
    instance.enqueue(new MockResponse.Builder().code(401)
        .body("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]").build());
    // The first call of a system reads GET /limits; it is the call the expired session fails.
    instance.enqueue(new MockResponse.Builder().code(200)
        .body("{\"DailyApiRequests\":{\"Max\":100000,\"Remaining\":99000}}").build());
    instance.enqueue(new MockResponse.Builder().code(200).body("{\"name\":\"Contact\",\"fields\":["
        + "{\"name\":\"Customer_Segment__c\"},{\"name\":\"Total_Orders__c\"},{\"name\":\"Total_Revenue__c\"},"
        + "{\"name\":\"Preferred_Channel__c\"},{\"name\":\"Email_Opt_In__c\"},{\"name\":\"SMS_Opt_In__c\"},"
        + "{\"name\":\"WhatsApp_Opt_In__c\"},{\"name\":\"Phone_Opt_In__c\"}]}").build());
    instance.enqueue(new MockResponse.Builder().code(200).body("{\"done\":true,\"totalSize\":0,\"records\":[]}").build());
    login.enqueue(new MockResponse.Builder().code(200).body("{\"access_token\":\"new-token\","
        + "\"instance_url\":\"https://acme.my.salesforce.com\",\"token_type\":\"Bearer\",\"issued_at\":\"1\"}").build());
    instance.start();
    login.start();
    List<OAuth2Token> saved = new CopyOnWriteArrayList<>();
    TenantConfig config = TenantConfig.builder("t1", "salesforce")
        .credential("accessToken", "old-token").credential("refreshToken", "r-1").credential("clientSecret", "s-1")
        .setting("clientId", "key-1")
        .setting("instanceUrl", instance.url("/").toString())
        .setting("loginUrl", login.url("/").toString())
        .build();
    SalesforceTokenStore store = (tenant, tokens) -> saved.add(tokens);

    var system = new SalesforceCustomerSystemProvider().create(
        new ProviderContext(config, Clock.systemUTC(), Map.of(SalesforceTokenStore.class, store)));

    assertThat(system.findByEmail("a@example.com")).isEmpty();
    RecordedRequest rejected = instance.takeRequest();
    assertThat(rejected.getHeaders().get("Authorization")).isEqualTo("Bearer old-token");
    RecordedRequest retried = instance.takeRequest();
    assertThat(retried.getUrl().encodedPath()).isEqualTo(rejected.getUrl().encodedPath());
    assertThat(retried.getHeaders().get("Authorization")).isEqualTo("Bearer new-token");
    RecordedRequest token = login.takeRequest();
    assertThat(token.getUrl().encodedPath()).isEqualTo("/services/oauth2/token");
    assertThat(token.getBody().utf8()).contains("grant_type=refresh_token").contains("refresh_token=r-1")
        .contains("client_id=key-1");
    assertThat(saved).extracting(OAuth2Token::accessToken).containsExactly("new-token");
    assertThat(saved.get(0).refreshToken()).isEqualTo("r-1");
  }
}
