package dev.crmkit.examples.cli;

import dev.crmkit.Capability;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.ProviderLoadFailure;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code crmkit providers [NAME]}: prints the {@link ProviderDescriptor} of every provider on the
 * class path (or of one), as {@link IntegrationFactory#descriptors()} lists them: name, display
 * name, category, features, auth kinds and every setting with its type, default and meaning.
 * Providers that failed to load are listed on stderr.
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
    description = "Lists the installed providers: category, features, auth and settings.")
public final class ProvidersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this provider (a name, not an alias).")
  String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (IntegrationFactory factory = IntegrationFactory.builder().build()) {
      List<ProviderDescriptor> shown = factory.descriptors().stream()
          .filter(d -> name == null || d.name().equals(name.strip()))
          .toList();
      if (shown.isEmpty()) {
        throw new ConfigurationException("no provider named '" + name + "'; installed: " + factory.providerNames());
      }
      shown.forEach(d -> print(d, out));
      for (ProviderLoadFailure f : factory.loadFailures()) {
        spec.commandLine().getErr().println("crmkit: failed to load: " + f.description());
      }
    }
    out.flush();
    return 0;
  }

  private static void print(ProviderDescriptor d, PrintWriter out) {
    out.println(d.name() + " - " + d.displayName() + " (" + d.category() + ")");
    out.println("  features: " + (d.features().isEmpty() ? "none"
        : d.features().stream().map(Capability::name).collect(Collectors.joining(", "))));
    out.println("  auth: " + d.authKinds().stream().map(ProvidersCommand::auth).collect(Collectors.joining("; ")));
    out.println("  settings:");
    for (SettingDescriptor s : d.settings()) {
      StringBuilder line = new StringBuilder("    ").append(s.displayKey()).append(" (")
          .append(s.secret() ? "credential" : "setting").append(", ").append(s.type().description());
      if (s.required()) {
        line.append(", required");
      }
      if (s.defaultValue() != null) {
        line.append(", default ").append(s.defaultValue());
      }
      line.append("): ").append(s.description());
      if (s.docLink() != null) {
        line.append(" <").append(s.docLink()).append('>');
      }
      out.println(line);
    }
    out.println();
  }

  private static String auth(AuthKind kind) {
    if (kind instanceof AuthKind.ApiToken token) {
      return "API token (credential " + token.credentialKey() + ")";
    }
    if (kind instanceof AuthKind.OAuth2 oauth) {
      return "OAuth 2.0 (authorize " + oauth.authorizeUrl() + ", token " + oauth.tokenUrl() + ", scopes "
          + String.join(" ", oauth.scopes()) + ")";
    }
    return "none";
  }
}
