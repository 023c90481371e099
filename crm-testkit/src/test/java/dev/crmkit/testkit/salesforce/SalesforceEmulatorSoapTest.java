package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.testkit.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorSoapTest {
  private static final String ENVELOPE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
      + " xmlns:urn=\"urn:partner.soap.sforce.com\" xmlns:urn1=\"urn:sobject.partner.soap.sforce.com\">";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:30Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).contactEmailDuplicateRule(true)
      .sessionLifetime(Duration.ofHours(2)).build();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void undeleteBringsARecordBackFromTheRecycleBinAndCountsTheCall() throws Exception {
    String id = emulator.insert("Contact", Map.of("LastName", "Gone"));
    emulator.delete(id);
    int before = emulator.apiUsage();

    HttpResponse<String> answer = soap(emulator.accessToken(), "<urn:undelete><urn:ids>" + id + "</urn:ids></urn:undelete>");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/xml"));
    SoapXml.Element result = body(answer).child("undeleteResponse").child("result");
    assertThat(result.text("id")).isEqualTo(id);
    assertThat(result.text("success")).isEqualTo("true");
    assertThat(emulator.record(id)).hasValueSatisfying(r -> assertThat(r.get("IsDeleted")).isEqualTo(false));
    assertThat(emulator.apiUsage()).isEqualTo(before + 1);
    assertThat(emulator.counters().requests(SalesforceCounters.SOAP)).isEqualTo(1);
    SoapXml.Element limit = SoapXml.parse(answer.body()).child("Header").child("LimitInfoHeader").child("limitInfo");
    assertThat(limit.text("current")).isEqualTo(String.valueOf(before + 1));
    assertThat(limit.text("type")).isEqualTo("API REQUESTS");
  }

  @Test
  void undeleteOfALiveRecordFailsInItsResultWithUndeleteFailed() throws Exception {
    String id = emulator.insert("Contact", Map.of("LastName", "Live"));

    SoapXml.Element result = body(soap(emulator.accessToken(), "<urn:undelete><urn:ids>" + id + "</urn:ids>"
        + "<urn:ids>003nonsense</urn:ids></urn:undelete>")).child("undeleteResponse");

    assertThat(result.all("result")).hasSize(2);
    assertThat(result.all("result").get(0).text("success")).isEqualTo("false");
    assertThat(result.all("result").get(0).child("errors").text("statusCode")).isEqualTo("UNDELETE_FAILED");
    assertThat(result.all("result").get(0).child("id").nil()).isTrue();
    assertThat(result.all("result").get(1).child("errors").text("statusCode")).isEqualTo("MALFORMED_ID");
  }

  @Test
  void mergeKeepsTheMastersValuesSetsTheMasterRecordsFieldsAndMovesRelatedRecords() throws Exception {
    String master = emulator.insert("Contact", Map.of("LastName", "Master", "Email", "m@example.com"));
    String loser = emulator.insert("Contact", Map.of("FirstName", "Lou", "LastName", "Loser", "Phone", "+14155550100",
        "Email", "l@example.com"));
    String task = emulator.insert("Task", Map.of("Subject", "Call", "WhoId", loser));

    SoapXml.Element result = body(soap(emulator.accessToken(), "<urn:merge><urn:request><urn:masterRecord>"
        + "<urn1:type>Contact</urn1:type><urn1:Id>" + master + "</urn1:Id><urn1:Phone>+14155550100</urn1:Phone>"
        + "</urn:masterRecord><urn:recordToMergeIds>" + loser + "</urn:recordToMergeIds></urn:request></urn:merge>"))
        .child("mergeResponse").child("result");

    assertThat(result.text("success")).isEqualTo("true");
    assertThat(result.text("id")).isEqualTo(master);
    assertThat(result.text("mergedRecordIds")).isEqualTo(loser);
    assertThat(result.all("updatedRelatedIds")).extracting(SoapXml.Element::text).containsExactly(task);
    Map<String, Object> kept = emulator.record(master).orElseThrow();
    assertThat(kept.get("Phone")).isEqualTo("+14155550100");
    assertThat(kept.get("FirstName")).as("not in masterRecord, so not taken from the loser").isNull();
    assertThat(kept.get("Email")).isEqualTo("m@example.com");
    assertThat(emulator.record(loser).orElseThrow()).containsEntry("IsDeleted", true).containsEntry("MasterRecordId", master);
    assertThat(emulator.record(task).orElseThrow()).containsEntry("WhoId", master);
  }

  @Test
  void mergeOfARecordIntoItselfOrOfADeletedOneFailsInItsResult() throws Exception {
    String master = emulator.insert("Contact", Map.of("LastName", "Master"));
    String gone = emulator.insert("Contact", Map.of("LastName", "Gone"));
    emulator.delete(gone);

    SoapXml.Element response = body(soap(emulator.accessToken(), "<urn:merge>" + request(master, master)
        + request(master, gone) + "</urn:merge>")).child("mergeResponse");

    assertThat(response.all("result").get(0).child("errors").text("statusCode")).isEqualTo("INVALID_ID_FIELD");
    assertThat(response.all("result").get(1).child("errors").text("statusCode")).isEqualTo("ENTITY_IS_DELETED");
    assertThat(response.all("result")).allSatisfy(r -> assertThat(r.text("success")).isEqualTo("false"));
    assertThat(emulator.record(master).orElseThrow()).containsEntry("IsDeleted", false);
  }

  @Test
  void anExpiredOrMissingSessionIsAnInvalidSessionIdFaultAndNotCounted() throws Exception {
    int before = emulator.apiUsage();
    HttpResponse<String> unknown = soap("not-a-session", "<urn:undelete><urn:ids>003000000000001AAA</urn:ids></urn:undelete>");
    emulator.expireSessions();
    HttpResponse<String> expired = soap(emulator.accessToken(), "<urn:undelete><urn:ids>x</urn:ids></urn:undelete>");

    for (HttpResponse<String> answer : java.util.List.of(unknown, expired)) {
      assertThat(answer.statusCode()).isEqualTo(500);
      SoapXml.Element fault = body(answer).child("Fault");
      assertThat(fault.text("faultcode")).isEqualTo("sf:INVALID_SESSION_ID");
      assertThat(fault.text("faultstring")).startsWith("INVALID_SESSION_ID: ");
      assertThat(fault.child("detail").child("UnexpectedErrorFault").text("exceptionCode")).isEqualTo("INVALID_SESSION_ID");
    }
    assertThat(emulator.apiUsage()).isEqualTo(before);
  }

  @Test
  void anUnknownOperationIsAClientFault() throws Exception {
    HttpResponse<String> answer = soap(emulator.accessToken(), "<urn:query><urn:queryString>SELECT Id FROM Contact"
        + "</urn:queryString></urn:query>");

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(body(answer).child("Fault").text("faultcode")).isEqualTo("soapenv:Client");
    assertThat(body(answer).child("Fault").text("faultstring")).contains("{urn:partner.soap.sforce.com}query");
  }

  @Test
  void aDoctypeIsRefusedAndNoEntityIsExpanded() throws Exception {
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"expanded\">]>" + ENVELOPE + "<soapenv:Header>"
        + "<urn:SessionHeader><urn:sessionId>" + emulator.accessToken() + "</urn:sessionId></urn:SessionHeader>"
        + "</soapenv:Header><soapenv:Body><urn:undelete><urn:ids>&e;</urn:ids></urn:undelete></soapenv:Body>"
        + "</soapenv:Envelope>";

    HttpResponse<String> answer = post(xml);

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(body(answer).child("Fault").text("faultcode")).isEqualTo("soapenv:Client");
    assertThat(answer.body()).doesNotContain("expanded");
  }

  @Test
  void aGetOfTheSoapEndpointIsNotFound() throws Exception {
    HttpResponse<String> get = client.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/Soap/u/"
        + emulator.apiVersion().substring(1))).header("Authorization", "Bearer " + emulator.accessToken()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(404);
  }

  private static String request(String master, String loser) {
    return "<urn:request><urn:masterRecord><urn1:type>Contact</urn1:type><urn1:Id>" + master + "</urn1:Id>"
        + "</urn:masterRecord><urn:recordToMergeIds>" + loser + "</urn:recordToMergeIds></urn:request>";
  }

  private HttpResponse<String> soap(String session, String call) throws IOException, InterruptedException {
    return post(ENVELOPE + "<soapenv:Header><urn:SessionHeader><urn:sessionId>" + session + "</urn:sessionId>"
        + "</urn:SessionHeader></soapenv:Header><soapenv:Body>" + call + "</soapenv:Body></soapenv:Envelope>");
  }

  private HttpResponse<String> post(String xml) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/Soap/u/"
            + emulator.apiVersion().substring(1)))
        .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "\"\"")
        .POST(HttpRequest.BodyPublishers.ofString(xml)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static SoapXml.Element body(HttpResponse<String> answer) throws SoapXml.Malformed {
    return SoapXml.parse(answer.body()).child("Body");
  }
}
