package dev.crmkit.hubspot.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.HubSpotCursors.ActivitiesCursor;
import dev.crmkit.hubspot.internal.HubSpotCursors.ArchivedSearch;
import dev.crmkit.hubspot.internal.HubSpotCursors.FeedCursor;
import dev.crmkit.hubspot.internal.HubSpotCursors.LiveSearch;
import dev.crmkit.hubspot.internal.HubSpotCursors.NotesCursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HubSpotCursorsTest {
  private static String text(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String json(String cursor) {
    return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
  }

  private static TreeSet<String> set(String... values) {
    return new TreeSet<>(List.of(values));
  }

  @Test
  void eachCursorIsWrittenInTheFormatTheProviderHasAlwaysIssued() {
    assertThat(json(HubSpotCursors.FEED.encode(new FeedCursor(5L, set("u:2@5", "d:1@4"), set()))))
        .isEqualTo("{\"k\":\"hs1:feed\",\"s\":{\"c\":[\"d:1@4\",\"u:2@5\"],\"h\":5}}");
    assertThat(json(HubSpotCursors.FEED.encode(FeedCursor.EMPTY))).isEqualTo("{\"k\":\"hs1:feed\",\"s\":{\"c\":[]}}");
    assertThat(json(HubSpotCursors.FEED.encode(new FeedCursor(5L, set(), set("7")))))
        .isEqualTo("{\"k\":\"hs1:feed\",\"s\":{\"c\":[],\"h\":5,\"x\":[\"7\"]}}");
    assertThat(json(HubSpotCursors.SEARCH.encode(new LiveSearch(9L, set("3", "1")))))
        .isEqualTo("{\"k\":\"hs1:search\",\"s\":{\"p\":\"L\",\"s\":[\"1\",\"3\"],\"w\":9}}");
    assertThat(json(HubSpotCursors.SEARCH.encode(new ArchivedSearch(null, set("4")))))
        .isEqualTo("{\"k\":\"hs1:search\",\"s\":{\"p\":\"A\",\"s\":[\"4\"]}}");
    assertThat(json(HubSpotCursors.NOTES.encode(new NotesCursor(200)))).isEqualTo("{\"k\":\"hs1:notes\",\"s\":{\"a\":\"200\"}}");
    assertThat(json(HubSpotCursors.ACTIVITIES.encode(new ActivitiesCursor(8, set("1:20", "0:10")))))
        .isEqualTo("{\"k\":\"hs1:activities\",\"s\":{\"s\":[\"0:10\",\"1:20\"],\"t\":8}}");
  }

  @Test
  void aFeedCursorASyncStoreSavedEarlierStillReads() {
    String saved = text("{\"k\":\"hs1:feed\",\"s\":{\"c\":[\"m:9@4\",\"u:2@5\"],\"h\":5,\"x\":[\"7\"]}}");

    assertThat(HubSpotCursors.FEED.decode(saved)).isEqualTo(new FeedCursor(5L, set("m:9@4", "u:2@5"), set("7")));
    assertThat(FeedCursor.id("m:9@4")).isEqualTo("9");
    assertThat(FeedCursor.time("m:9@4")).isEqualTo(4L);
  }

  @Test
  void aCursorOfAnotherKindIsRejectedNamingTheCursor() {
    String feed = HubSpotCursors.FEED.encode(new FeedCursor(5L, set(), set()));

    assertRejected(() -> HubSpotCursors.SEARCH.decode(feed), feed, "search");
  }

  @Test
  void aCursorWhoseFieldsAreMistypedOrMalformedIsRejectedNamingTheCursor() {
    for (String state : List.of("{\"h\":\"5\"}", "{\"c\":[\"u:1\"]}", "{\"c\":[\"1@5\"]}", "{\"c\":[\"u:1@x\"]}",
        "{\"c\":\"u:1@5\"}", "{\"x\":[7]}")) {
      String cursor = text("{\"k\":\"hs1:feed\",\"s\":" + state + "}");
      assertRejected(() -> HubSpotCursors.FEED.decode(cursor), cursor, "feed");
    }
    for (String state : List.of("{}", "{\"p\":\"X\"}", "{\"p\":\"L\",\"w\":\"9\"}", "{\"p\":\"A\",\"a\":1}")) {
      String cursor = text("{\"k\":\"hs1:search\",\"s\":" + state + "}");
      assertRejected(() -> HubSpotCursors.SEARCH.decode(cursor), cursor, "search");
    }
    for (String state : List.of("{}", "{\"a\":200}", "{\"a\":\"-1\"}", "{\"a\":\"1234567890\"}")) {
      String cursor = text("{\"k\":\"hs1:notes\",\"s\":" + state + "}");
      assertRejected(() -> HubSpotCursors.NOTES.decode(cursor), cursor, "notes");
    }
    for (String state : List.of("{\"t\":5}", "{\"s\":[]}", "{\"t\":\"5\",\"s\":[]}")) {
      String cursor = text("{\"k\":\"hs1:activities\",\"s\":" + state + "}");
      assertRejected(() -> HubSpotCursors.ACTIVITIES.decode(cursor), cursor, "activities");
    }
  }

  private static void assertRejected(org.assertj.core.api.ThrowableAssert.ThrowingCallable decode, String cursor,
      String kind) {
    assertThatThrownBy(decode).isInstanceOfSatisfying(ValidationException.class, e ->
        assertThat(e.fieldErrors()).singleElement().satisfies(f -> {
          assertThat(f.field()).isEqualTo("cursor");
          assertThat(f.value()).isEqualTo(cursor);
          assertThat(f.message()).isEqualTo("not a " + kind + " cursor issued by the hubspot provider");
        }));
  }
}
