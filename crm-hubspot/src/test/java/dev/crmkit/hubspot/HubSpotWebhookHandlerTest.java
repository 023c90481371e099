package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import dev.crmkit.webhook.UnparsedItem;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import dev.crmkit.webhook.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class HubSpotWebhookHandlerTest {
  private static final String SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
  private static final String URL = "https://app.example/hooks/hubspot?tenant=acme";
  private static final Instant NOW = Instant.parse("2025-11-21T10:00:05Z");
  private static final HubSpotWebhookHandler HANDLER = handler(HubSpotSignatureVersion.values());

  private static HubSpotWebhookHandler handler(HubSpotSignatureVersion... versions) {
    return HubSpotWebhookHandler.builder().clientSecret(SECRET).acceptedVersions(versions)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  private static WebhookRequest.Builder request(String url, byte[] body) {
    return WebhookRequest.builder().method("POST").url(url).body(body).receivedAt(NOW)
        .header("Content-Type", "application/json");
  }

  /** A request signed the way HubSpot signs with v3 at the given time. */
  private static WebhookRequest v3(String url, byte[] body, Instant sentAt, String secret) {
    long ts = sentAt.toEpochMilli();
    return request(url, body)
        .header("X-HubSpot-Signature-v3", HubSpotSignatures.v3(secret, "POST", url, body, ts))
        .header("X-HubSpot-Request-Timestamp", Long.toString(ts))
        .build();
  }

  /** A request signed the way HubSpot signs with v2, without any v3 header. */
  private static WebhookRequest.Builder v2Signed(byte[] body) {
    return request(URL, body).header("X-HubSpot-Signature", HubSpotSignatures.v2(SECRET, "POST", URL, body))
        .header("X-HubSpot-Signature-Version", "v2");
  }

  private static WebhookRequest v3(byte[] body) {
    return v3(URL, body, NOW.minusSeconds(2), SECRET);
  }

  private static byte[] allTypes() {
    return Fixtures.bytes("webhook_all_types.json");
  }

  // --- signatures ---------------------------------------------------------------------------

  static List<Fixtures.Example> published() {
    return Fixtures.publishedExamples();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("published")
  void acceptsTheSignatureOfEveryPublishedHubSpotExample(Fixtures.Example e) {
    WebhookRequest.Builder b = WebhookRequest.builder().method(e.method()).url(e.uri()).body(e.body()).receivedAt(NOW);
    Instant clock = NOW;
    if (e.version().equals("v3")) {
      b.header("X-HubSpot-Signature-v3", e.signature()).header("X-HubSpot-Request-Timestamp", Long.toString(e.timestamp()));
      clock = Instant.ofEpochMilli(e.timestamp()).plusSeconds(1);
    } else {
      b.header("X-HubSpot-Signature", e.signature()).header("X-HubSpot-Signature-Version", e.version());
    }
    HubSpotWebhookHandler handler = HubSpotWebhookHandler.builder().clientSecret(e.clientSecret())
        .acceptedVersions(HubSpotSignatureVersion.valueOf(e.version().toUpperCase(java.util.Locale.ROOT)))
        .clock(Clock.fixed(clock, ZoneOffset.UTC)).build();
    WebhookRequest request = b.build();

    if (new String(e.body(), StandardCharsets.UTF_8).startsWith("[")) {
      assertThat(handler.handle(request).events()).extracting(ChangeEvent::type).containsExactly(ChangeEventType.CREATED);
    } else {
      // The published bodies that are not event arrays pass the signature and fail only on shape.
      assertThatThrownBy(() -> handler.handle(request)).isExactlyInstanceOf(ValidationException.class)
          .hasMessageContaining("body");
    }
  }

  @Test
  void parsesTheDocumentedV1ExampleIntoAContactCreation() {
    Fixtures.Example e = published().get(0);
    WebhookRequest request = WebhookRequest.builder().method("POST").url(e.uri()).body(e.body()).receivedAt(NOW)
        .header("x-hubspot-signature", e.signature()).header("x-hubspot-signature-version", "v1").build();

    ChangeEvent event = HANDLER.handle(request).events().get(0);

    assertThat(event.eventId()).isEqualTo("1");
    assertThat(event.objectId()).isEqualTo("123");
    assertThat(event.occurredAt()).isEqualTo(Instant.ofEpochMilli(1564113600000L));
    assertThat(event.attributes()).containsEntry("portalId", "62515").containsEntry("appId", "54321")
        .containsEntry("changeFlag", "NEW").containsEntry("subscriptionId", "12345");
  }

  @Test
  void acceptsAV3SignatureAndAnswers200WithAnEmptyBody() {
    WebhookResult result = HANDLER.handle(v3(allTypes()));

    assertThat(result.response()).isEqualTo(WebhookResponse.ok());
    assertThat(result.response().status()).isEqualTo(200);
    assertThat(result.response().body()).isEmpty();
    assertThat(result.events()).hasSize(8);
  }

  @Test
  void acceptsV2SignedOverTheFullUrlWithItsQuery() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, body)
        .header("X-HubSpot-Signature", HubSpotSignatures.v2(SECRET, "POST", URL, body))
        .header("X-HubSpot-Signature-Version", "v2").build();

    assertThat(HANDLER.handle(request).events()).hasSize(8);
  }

  @Test
  void rejectsATamperedBody() {
    WebhookRequest signed = v3(allTypes());
    byte[] tampered = signed.body();
    tampered[tampered.length - 3] = ' ';
    WebhookRequest request = request(URL, tampered).headers(signed.headers()).build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("X-HubSpot-Signature-v3 does not match");
  }

  @Test
  void rejectsATamperedV1Body() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, "[]".getBytes(StandardCharsets.UTF_8))
        .header("X-HubSpot-Signature", HubSpotSignatures.v1(SECRET, body))
        .header("X-HubSpot-Signature-Version", "v1").build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("X-HubSpot-Signature (v1) does not match");
  }

  @Test
  void rejectsASignatureMadeWithAnotherSecret() {
    WebhookRequest request = v3(URL, allTypes(), NOW, "another-secret");

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void rejectsAV2SignatureOverAnotherUrl() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, body)
        .header("X-HubSpot-Signature", HubSpotSignatures.v2(SECRET, "POST", "https://app.example/hooks/hubspot", body))
        .header("X-HubSpot-Signature-Version", "v2").build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void acceptsATimestampJustInsideTheWindowEitherWay() {
    Duration edge = HubSpotWebhookHandler.DEFAULT_TOLERANCE;

    assertThat(HANDLER.handle(v3(URL, allTypes(), NOW.minus(edge), SECRET)).events()).hasSize(8);
    assertThat(HANDLER.handle(v3(URL, allTypes(), NOW.plus(edge), SECRET)).events()).hasSize(8);
  }

  @Test
  void rejectsATimestampOlderThanFiveMinutes() {
    WebhookRequest request = v3(URL, allTypes(), NOW.minus(Duration.ofMinutes(5)).minusMillis(1), SECRET);

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("older than").hasMessageContaining("PT5M");
  }

  @Test
  void rejectsATimestampFromTooFarInTheFuture() {
    WebhookRequest request = v3(URL, allTypes(), NOW.plus(Duration.ofMinutes(6)), SECRET);

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("ahead of");
  }

  @Test
  void honoursAConfiguredTolerance() {
    HubSpotWebhookHandler strict = HubSpotWebhookHandler.builder().clientSecret(SECRET).tolerance(Duration.ofSeconds(30))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    assertThat(strict.handle(v3(URL, allTypes(), NOW.minusSeconds(30), SECRET)).events()).hasSize(8);
    assertThatThrownBy(() -> strict.handle(v3(URL, allTypes(), NOW.minusSeconds(31), SECRET)))
        .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("PT30S");
  }

  @Test
  void rejectsAV3SignatureWithoutItsTimestamp() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, body)
        .header("X-HubSpot-Signature-v3", HubSpotSignatures.v3(SECRET, "POST", URL, body, NOW.toEpochMilli())).build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("X-HubSpot-Request-Timestamp");
  }

  @Test
  void rejectsATimestampThatIsNotMilliseconds() {
    WebhookRequest request = request(URL, allTypes())
        .header("X-HubSpot-Signature-v3", "x").header("X-HubSpot-Request-Timestamp", "2025-11-21T10:00:00Z").build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("'2025-11-21T10:00:00Z' is not milliseconds");
  }

  @Test
  void rejectsARequestWithoutAnySignature() {
    WebhookRequest request = request(URL, allTypes()).build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("X-HubSpot-Signature-v3 or X-HubSpot-Signature");
  }

  @Test
  void rejectsAnOldSignatureWithoutItsVersionHeader() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, body).header("X-HubSpot-Signature", HubSpotSignatures.v1(SECRET, body)).build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("X-HubSpot-Signature-Version");
  }

  @Test
  void rejectsAnUnknownSignatureVersion() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, body).header("X-HubSpot-Signature", HubSpotSignatures.v1(SECRET, body))
        .header("X-HubSpot-Signature-Version", "v9").build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("'v9'");
  }

  @Test
  void rejectsAVersionTheHandlerDoesNotAccept() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, body).header("X-HubSpot-Signature", HubSpotSignatures.v1(SECRET, body))
        .header("X-HubSpot-Signature-Version", "v1").build();

    assertThatThrownBy(() -> handler(HubSpotSignatureVersion.V3).handle(request))
        .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("X-HubSpot-Signature-v3");
    assertThatThrownBy(() -> handler(HubSpotSignatureVersion.V2).handle(request))
        .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("'v1' is not accepted");
  }

  @Test
  void neverFallsBackToAnOlderSignatureWhenAV3HeaderIsPresent() {
    byte[] body = allTypes();
    WebhookRequest request = request(URL, body)
        .header("X-HubSpot-Signature-v3", "garbage").header("X-HubSpot-Request-Timestamp", "1")
        .header("X-HubSpot-Signature", HubSpotSignatures.v1(SECRET, body))
        .header("X-HubSpot-Signature-Version", "v1").build();

    assertThatThrownBy(() -> handler(HubSpotSignatureVersion.V1).handle(request))
        .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("X-HubSpot-Request-Timestamp");
    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void refusesByDefaultAThirtyDayOldV1SignedEvent() {
    byte[] body = Fixtures.bytes("webhook_all_types.json");
    WebhookRequest replayed = WebhookRequest.builder().method("POST").url(URL).body(body)
        .receivedAt(NOW.plus(Duration.ofDays(30)))
        .header("X-HubSpot-Signature", HubSpotSignatures.v1(SECRET, body))
        .header("X-HubSpot-Signature-Version", "v1").build();
    HubSpotWebhookHandler byDefault = HubSpotWebhookHandler.builder().clientSecret(SECRET)
        .clock(Clock.fixed(NOW.plus(Duration.ofDays(30)), ZoneOffset.UTC)).build();

    assertThatThrownBy(() -> byDefault.handle(replayed)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("no X-HubSpot-Signature-v3 header").hasMessageContaining("opts in");
  }

  @Test
  void refusesACallWhoseFailingV3SignatureWasStrippedLeavingItsTimestamp() {
    WebhookRequest stripped = v2Signed(allTypes()).header("X-HubSpot-Request-Timestamp", Long.toString(NOW.toEpochMilli()))
        .build();

    assertThatThrownBy(() -> HANDLER.handle(stripped)).isInstanceOf(SignatureVerificationException.class)
        .hasMessageContaining("X-HubSpot-Request-Timestamp is present without X-HubSpot-Signature-v3");
    assertThatThrownBy(() -> handler(HubSpotSignatureVersion.V2).handle(stripped))
        .isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void refusesByDefaultACallWhoseFailingV3HeadersWereBothStripped() {
    WebhookRequest stripped = v2Signed(allTypes()).build();
    HubSpotWebhookHandler byDefault = HubSpotWebhookHandler.builder().clientSecret(SECRET)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    assertThatThrownBy(() -> byDefault.handle(stripped)).isInstanceOf(SignatureVerificationException.class);
  }

  @Test
  void acceptsAV2SignedCallWhenTheHandlerOptsInToV2() {
    WebhookRequest request = v2Signed(allTypes()).build();
    HubSpotWebhookHandler optedIn = HubSpotWebhookHandler.builder().clientSecret(SECRET)
        .acceptedVersions(HubSpotSignatureVersion.V3, HubSpotSignatureVersion.V2).build();

    WebhookResult result = optedIn.handle(request);

    assertThat(result.events()).hasSize(8);
    assertThat(result.response()).isEqualTo(WebhookResponse.ok());
  }

  @Test
  void answersASignedTenMegabyteBodyWithACompleteStatus413() {
    byte[] body = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    body[0] = '[';
    body[body.length - 1] = ']';

    WebhookResult result = HANDLER.handle(v3(body));

    assertThat(result.events()).isEmpty();
    assertThat(result.unparsed()).isEmpty();
    assertThat(result.response().status()).isEqualTo(413);
    assertThat(result.response().contentType()).startsWith("text/plain");
    assertThat(result.response().body())
        .isEqualTo("webhook body of 10485760 bytes is over the limit of 1048576 bytes");
  }

  @Test
  void handlesABodyOfExactlyTheConfiguredLimit() {
    byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
    HubSpotWebhookHandler two = HubSpotWebhookHandler.builder().clientSecret(SECRET).maxBodyBytes(2)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    HubSpotWebhookHandler one = HubSpotWebhookHandler.builder().clientSecret(SECRET).maxBodyBytes(1)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    assertThat(two.handle(v3(body)).response()).isEqualTo(WebhookResponse.ok());
    assertThat(one.handle(v3(body)).response().status()).isEqualTo(413);
  }

  @Test
  void verifiesV3AgainstTheUrlWithHubSpotsListedEscapesDecoded() {
    String encoded = "https://app.example/hooks/hubspot%3Atenant%2Cacme?next=%2Fhome%3Bx%40y";
    String asHubSpotSigned = "https://app.example/hooks/hubspot:tenant,acme?next=/home;x@y";
    byte[] body = allTypes();
    long ts = NOW.toEpochMilli();
    WebhookRequest request = request(encoded, body)
        .header("X-HubSpot-Signature-v3", HubSpotSignatures.v3(SECRET, "POST", asHubSpotSigned, body, ts))
        .header("X-HubSpot-Request-Timestamp", Long.toString(ts)).build();

    assertThat(HANDLER.handle(request).events()).hasSize(8);
  }

  @Test
  void keepsEscapesOutsideHubSpotsListWhenVerifyingV3() {
    String encoded = "https://app.example/hooks/hubspot?name=a%20b";
    byte[] body = allTypes();
    long ts = NOW.toEpochMilli();
    WebhookRequest signedDecoded = request(encoded, body)
        .header("X-HubSpot-Signature-v3", HubSpotSignatures.v3(SECRET, "POST", "https://app.example/hooks/hubspot?name=a b", body, ts))
        .header("X-HubSpot-Request-Timestamp", Long.toString(ts)).build();
    WebhookRequest signedAsSent = request(encoded, body)
        .header("X-HubSpot-Signature-v3", HubSpotSignatures.v3(SECRET, "POST", encoded, body, ts))
        .header("X-HubSpot-Request-Timestamp", Long.toString(ts)).build();

    assertThatThrownBy(() -> HANDLER.handle(signedDecoded)).isInstanceOf(SignatureVerificationException.class);
    assertThat(HANDLER.handle(signedAsSent).events()).hasSize(8);
  }

  // --- parsing ------------------------------------------------------------------------------

  @Test
  void parsesEverySubscriptionTypeOfTheBatchInOrder() {
    WebhookResult result = HANDLER.handle(v3(allTypes()));

    assertThat(result.events()).extracting(ChangeEvent::type).containsExactly(
        ChangeEventType.CREATED, ChangeEventType.UPDATED, ChangeEventType.DELETED, ChangeEventType.PRIVACY_DELETED,
        ChangeEventType.MERGED, ChangeEventType.RESTORED, ChangeEventType.ASSOCIATION_CHANGED, ChangeEventType.UNKNOWN);
    assertThat(result.events()).extracting(ChangeEvent::eventId)
        .containsExactly("1001", "1002", "1003", "1004", "1005", "1006", "1007", "1008");
    assertThat(result.events()).allSatisfy(e -> {
      assertThat(e.vendor()).isEqualTo("hubspot");
      assertThat(e.objectType()).isEqualTo("contact");
    });
    assertThat(result.unparsed()).isEmpty();
  }

  @Test
  void carriesThePropertyChangeAndTheAttemptNumber() {
    ChangeEvent e = HANDLER.handle(v3(allTypes())).events().get(1);

    assertThat(e.rawType()).isEqualTo("contact.propertyChange");
    assertThat(e.objectId()).isEqualTo("123");
    assertThat(e.propertyName()).isEqualTo("email");
    assertThat(e.propertyValue()).isEqualTo("ana@example.com");
    assertThat(e.attemptNumber()).isEqualTo(1);
    assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochMilli(1763719201000L));
    assertThat(e.attributes()).containsEntry("changeSource", "CRM").containsEntry("sourceId", "userId:42")
        .doesNotContainKeys("eventId", "propertyName", "attemptNumber");
  }

  @Test
  void pointsAMergeAtTheNewRecordAndListsEveryIdItReplaced() {
    ChangeEvent e = HANDLER.handle(v3(allTypes())).events().get(4);

    assertThat(e.objectId()).isEqualTo("129");
    assertThat(e.mergedIds()).containsExactly("127", "128", "126");
    assertThat(e.attributes()).containsEntry("primaryObjectId", "126").containsEntry("newObjectId", "129")
        .containsEntry("numberOfPropertiesMoved", "7");
  }

  @Test
  void keepsTheMergePrimaryAsSurvivorWhenNoNewIdIsGiven() {
    byte[] body = ("[{\"eventId\":5,\"occurredAt\":1,\"subscriptionType\":\"contact.merge\",\"objectId\":126,"
        + "\"primaryObjectId\":126,\"mergedObjectIds\":[127]}]").getBytes(StandardCharsets.UTF_8);

    ChangeEvent e = HANDLER.handle(v3(body)).events().get(0);

    assertThat(e.objectId()).isEqualTo("126");
    assertThat(e.mergedIds()).containsExactly("127");
  }

  @Test
  void readsAnAssociationChangeFromItsFromAndToIds() {
    ChangeEvent e = HANDLER.handle(v3(allTypes())).events().get(6);

    assertThat(e.objectId()).isEqualTo("123");
    assertThat(e.attributes()).containsEntry("toObjectId", "900").containsEntry("associationType", "CONTACT_TO_COMPANY")
        .containsEntry("associationRemoved", "false").containsEntry("isPrimaryAssociation", "true");
  }

  @Test
  void reportsAnUnknownSubscriptionTypeInsteadOfDroppingIt() {
    WebhookResult result = HANDLER.handle(v3(allTypes()));

    assertThat(result.unknownEvents()).singleElement().satisfies(e -> {
      assertThat(e.rawType()).isEqualTo("contact.someFutureThing");
      assertThat(e.objectId()).isEqualTo("123");
      assertThat(e.eventId()).isEqualTo("1008");
    });
    assertThat(result.fullyUnderstood()).isFalse();
  }

  @Test
  void mapsKnownActionsOnOtherObjectTypes() {
    byte[] body = "[{\"eventId\":9,\"occurredAt\":1,\"subscriptionType\":\"company.deletion\",\"objectId\":77}]"
        .getBytes(StandardCharsets.UTF_8);

    ChangeEvent e = HANDLER.handle(v3(body)).events().get(0);

    assertThat(e.type()).isEqualTo(ChangeEventType.DELETED);
    assertThat(e.objectType()).isEqualTo("company");
  }

  @Test
  void reportsEveryElementThatIsNotAnEventAndDeliversTheRest() {
    WebhookResult result = HANDLER.handle(v3(Fixtures.bytes("webhook_bad_items.json")));

    assertThat(result.events()).extracting(ChangeEvent::eventId).containsExactly("2001", "2008");
    assertThat(result.events().get(1).type()).isEqualTo(ChangeEventType.UNKNOWN);
    assertThat(result.events().get(1).objectType()).isNull();
    assertThat(result.unparsed()).extracting(UnparsedItem::index).containsExactly(1, 2, 3, 4, 5, 6, 7);
    assertThat(result.unparsed()).extracting(UnparsedItem::reason).satisfiesExactly(
        r -> assertThat(r).contains("expected an event object, got string"),
        r -> assertThat(r).contains("eventId is missing"),
        r -> assertThat(r).contains("occurredAt '\"yesterday\"'"),
        r -> assertThat(r).contains("subscriptionType '7'"),
        r -> assertThat(r).contains("mergedObjectIds '\"6,7\"' is not an array"),
        r -> assertThat(r).contains("attemptNumber '-1'"),
        r -> assertThat(r).contains("objectId"));
    assertThat(result.unparsed().get(0).raw()).isEqualTo("\"not an event\"");
  }

  @Test
  void reportsEventsOfAnotherAppWhenAnAppIdIsSet() {
    HubSpotWebhookHandler handler = HubSpotWebhookHandler.builder().clientSecret(SECRET).appId(54321)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    WebhookResult result = handler.handle(v3(Fixtures.bytes("webhook_other_app.json")));

    assertThat(result.events()).extracting(ChangeEvent::eventId).containsExactly("3001");
    assertThat(result.unparsed()).singleElement().satisfies(u -> assertThat(u.reason()).contains("appId '99999'", "'54321'"));
    assertThat(HANDLER.handle(v3(Fixtures.bytes("webhook_other_app.json"))).events()).hasSize(2);
  }

  @Test
  void acceptsAnEmptyArray() {
    WebhookResult result = HANDLER.handle(v3("[]".getBytes(StandardCharsets.UTF_8)));

    assertThat(result.events()).isEmpty();
    assertThat(result.fullyUnderstood()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"webhook_malformed_json.json", "webhook_not_array.json", "webhook_trailing_garbage.json"})
  void rejectsAMalformedBodyAfterVerifyingItsSignature(String fixture) {
    WebhookRequest request = v3(Fixtures.bytes(fixture));

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOfSatisfying(ValidationException.class, e -> {
      assertThat(e.provider()).isEqualTo("hubspot");
      assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("body");
    });
  }

  @Test
  void saysWhatIsWrongWithAMalformedBody() {
    assertThatThrownBy(() -> HANDLER.handle(v3(Fixtures.bytes("webhook_malformed_json.json"))))
        .hasMessageContaining("not valid JSON").hasMessageContaining("line");
    assertThatThrownBy(() -> HANDLER.handle(v3(Fixtures.bytes("webhook_not_array.json"))))
        .hasMessageContaining("expected a JSON array of events, got object");
    assertThatThrownBy(() -> HANDLER.handle(v3(new byte[0])))
        .hasMessageContaining("empty; HubSpot sends a JSON array");
  }

  @Test
  void checksTheSignatureBeforeLookingAtTheBody() {
    WebhookRequest request = request(URL, Fixtures.bytes("webhook_malformed_json.json")).build();

    assertThatThrownBy(() -> HANDLER.handle(request)).isInstanceOf(SignatureVerificationException.class);
  }

  // --- configuration ------------------------------------------------------------------------

  @Test
  void defaultsToV3OnlyFiveMinutesAndOneMebibyte() {
    HubSpotWebhookHandler handler = HubSpotWebhookHandler.builder().clientSecret(SECRET).build();

    assertThat(handler.acceptedVersions()).containsExactly(HubSpotSignatureVersion.V3);
    assertThat(handler.maxBodyBytes()).isEqualTo(1 << 20).isEqualTo(HubSpotWebhookHandler.DEFAULT_MAX_BODY_BYTES);
    assertThat(handler.tolerance()).isEqualTo(Duration.ofMinutes(5)).isEqualTo(HubSpotWebhookHandler.DEFAULT_TOLERANCE);
  }

  @Test
  void neverShowsTheClientSecret() {
    HubSpotWebhookHandler handler = HubSpotWebhookHandler.builder().clientSecret("s3cr3t-value").appId(7).build();

    assertThat(handler.toString()).doesNotContain("s3cr3t-value").contains("clientSecret=redacted", "appId=7");
  }

  @Test
  void rejectsBadSettingsAtOnceNamingThem() {
    HubSpotWebhookHandler.Builder b = HubSpotWebhookHandler.builder();
    assertThatThrownBy(() -> b.clientSecret(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientSecret");
    assertThatThrownBy(() -> b.clientSecret(null)).isInstanceOf(NullPointerException.class).hasMessage("clientSecret");
    assertThatThrownBy(() -> b.appId(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("appId must be a positive HubSpot app id: 0");
    assertThatThrownBy(() -> b.appId(-7)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appId").hasMessageContaining("-7");
    assertThatThrownBy(() -> b.acceptedVersions()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceptedVersions");
    assertThatThrownBy(() -> b.acceptedVersions((HubSpotSignatureVersion[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("acceptedVersions");
    assertThatThrownBy(() -> b.acceptedVersions(HubSpotSignatureVersion.V3, null))
        .isInstanceOf(NullPointerException.class).hasMessage("acceptedVersions");
    assertThatThrownBy(() -> b.tolerance(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance").hasMessageContaining("PT0S");
    assertThatThrownBy(() -> b.tolerance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> b.tolerance(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2H");
    assertThatThrownBy(() -> b.tolerance(null)).isInstanceOf(NullPointerException.class).hasMessage("tolerance");
    assertThatThrownBy(() -> b.maxBodyBytes(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes").hasMessageContaining(": 0");
    assertThatThrownBy(() -> b.maxBodyBytes(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> b.maxBodyBytes(HubSpotWebhookHandler.MAX_BODY_BYTES_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("clientSecret");
  }

  @Test
  void rejectsANullRequest() {
    assertThatThrownBy(() -> HANDLER.handle(null)).isInstanceOf(NullPointerException.class).hasMessage("request");
  }

  @Test
  void readsHeadersWhateverCaseTheServerGaveThem() {
    byte[] body = allTypes();
    long ts = NOW.toEpochMilli();
    WebhookRequest request = WebhookRequest.builder().method("POST").url(URL).body(body).receivedAt(NOW)
        .headers(Map.of("x-hubspot-signature-v3", List.of(HubSpotSignatures.v3(SECRET, "POST", URL, body, ts)),
            "X-HUBSPOT-REQUEST-TIMESTAMP", List.of(Long.toString(ts))))
        .build();

    assertThat(HANDLER.handle(request).events()).hasSize(8);
  }
}
