package dev.crmkit.testkit;

import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A provider's settings as a Markdown table, and the table a README shows under a heading, so a test can
 * keep a README's settings table equal to the provider's {@link ProviderDescriptor}:
 *
 * <pre>{@code
 * assertThat(ReadmeSettingsTable.in(Path.of("..", "README.md"), "## Salesforce"))
 *     .isEqualTo(ReadmeSettingsTable.of(SalesforceCustomerSystemProvider.DESCRIPTOR));
 * }</pre>
 *
 * One row per setting in the descriptor's order: key, credential or setting, type, default, and the
 * description, prefixed with "Required." when required and followed by a link labelled with the
 * provider's display name when the setting has a documentation link.
 */
public final class ReadmeSettingsTable {
  /** The header row every settings table starts with. */
  public static final String HEADER = "| key | given as | type | default | meaning |";

  private ReadmeSettingsTable() {}

  /**
   * The settings of a descriptor as a Markdown table.
   *
   * @param descriptor the provider's descriptor; not {@code null}
   * @return the table, rows joined by {@code \n}, without a trailing newline
   */
  public static String of(ProviderDescriptor descriptor) {
    Objects.requireNonNull(descriptor, "descriptor");
    StringBuilder b = new StringBuilder(HEADER).append("\n|---|---|---|---|---|");
    for (SettingDescriptor s : descriptor.settings()) {
      b.append("\n| `").append(s.displayKey()).append("` | ")
          .append(s.secret() ? "credential" : "setting").append(" | ")
          .append(s.type().description()).append(" | ")
          .append(s.defaultValue() == null ? "—" : "`" + s.defaultValue() + "`").append(" | ")
          .append(s.required() ? "Required. " : "").append(s.description())
          .append(s.docLink() == null ? "" : " [" + descriptor.displayName() + "](" + s.docLink() + ")").append(" |");
    }
    return b.toString();
  }

  /**
   * The first settings table (a table starting with {@link #HEADER}) after a heading line of a Markdown file.
   *
   * @param markdown the file
   * @param heading the exact heading line, such as {@code "## Salesforce"}
   * @return the table's lines joined by {@code \n}
   * @throws IllegalStateException naming the heading when the file lacks it or has no such table after it
   * @throws UncheckedIOException when the file cannot be read
   */
  public static String in(Path markdown, String heading) {
    List<String> lines;
    try {
      lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int at = lines.indexOf(heading);
    if (at < 0) {
      throw new IllegalStateException(markdown + " has no heading line '" + heading + "'");
    }
    int start = lines.subList(at, lines.size()).indexOf(HEADER);
    if (start < 0) {
      throw new IllegalStateException(markdown + " has no settings table after '" + heading + "'");
    }
    List<String> table = new ArrayList<>();
    for (int i = at + start; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      table.add(lines.get(i));
    }
    return String.join("\n", table);
  }
}
