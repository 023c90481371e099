package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.integrations.ConnectionTest.Failure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionProbeTest {
  @Test
  void eachFailureMeansWhatTheTenantMustFix() {
    assertThat(ConnectionProbe.classify(new AuthenticationException("bad token", "hubspot", 401, "INVALID", null, null)))
        .isEqualTo(Failure.CREDENTIALS);
    assertThat(ConnectionProbe.classify(new AuthenticationException("revoked")))
        .isEqualTo(Failure.CREDENTIALS);
    assertThat(ConnectionProbe.classify(new AuthenticationException("forbidden", "hubspot", 403, "MISSING_SCOPES", null, null)))
        .isEqualTo(Failure.SCOPES);
    assertThat(ConnectionProbe.classify(new AuthenticationException("the token lacks scope crm.objects.contacts.read")))
        .isEqualTo(Failure.SCOPES);
    assertThat(ConnectionProbe.classify(new CrmException("forbidden", "salesforce", 403, "INSUFFICIENT_ACCESS", null, null)))
        .isEqualTo(Failure.SCOPES);
    assertThat(ConnectionProbe.classify(new ApiConnectionException("connection refused")))
        .isEqualTo(Failure.NETWORK);
    assertThat(ConnectionProbe.classify(new RateLimitedException("slow down", "hubspot", Duration.ofSeconds(10), null, null)))
        .isEqualTo(Failure.RATE_LIMITED);
    assertThat(ConnectionProbe.classify(new ConfigurationException("needs setting 'instanceUrl'")))
        .isEqualTo(Failure.CONFIGURATION);
    assertThat(ConnectionProbe.classify(new ServerException("bad gateway", "hubspot", 502, null, null, null)))
        .isEqualTo(Failure.SERVER);
    assertThat(ConnectionProbe.classify(new NotFoundException("hubspot", "contact", "1")))
        .isEqualTo(Failure.SERVER);
  }
}
