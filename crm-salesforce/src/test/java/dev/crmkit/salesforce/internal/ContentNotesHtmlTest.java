package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ContentNote body format: crmkit's text as escaped HTML paragraphs, and HTML back to text. */
class ContentNotesHtmlTest {
  @Test
  void eachLineIsAParagraphWithMarkupCharactersEscapedAndOtherCharactersKept() {
    assertThat(ContentNotes.html("a < b && c > \"d\" 'e'\n\u00e9\u65e5\ud83d\ude00\n\n<p>x</p>"))
        .isEqualTo("<p>a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;</p><p>\u00e9\u65e5\ud83d\ude00</p><p></p>"
            + "<p>&lt;p&gt;x&lt;/p&gt;</p>");
  }

  @Test
  void textSurvivesTheRoundTripThroughHtml() {
    for (String text : List.of("plain", "a < b && c > \"d\" 'e'", "&amp; is already escaped &lt;",
        "line 1\nline 2\n\nline 4", "\u00e9 \u65e5\u672c \ud83d\ude00 \u00a0nbsp", "&#39; &#x41; literal entities",
        "<script>alert('x')</script>")) {
      assertThat(ContentNotes.plainText(ContentNotes.html(text))).as(text).isEqualTo(text);
    }
  }

  @Test
  void htmlWrittenBySalesforceBecomesText() {
    assertThat(ContentNotes.plainText("<p>One <b>bold</b> &amp; <i>it</i></p><p>Two<br/>Three&nbsp;&#8364; &#x1F600;</p>"))
        .isEqualTo("One bold & it\nTwo\nThree\u00a0\u20ac \ud83d\ude00");
  }

  @Test
  void theTitleIsTheFirstLineCutAt255Characters() {
    assertThat(ContentNotes.title("  first line  \nsecond")).isEqualTo("first line");
    assertThat(ContentNotes.title("y".repeat(300))).isEqualTo("y".repeat(252) + "...");
  }
}
