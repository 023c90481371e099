package dev.crmkit.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static Route route(String method, String pattern, Route.Access access) {
    return new Route(method, pattern, access, 0, c -> { });
  }

  @Test
  void capturesSegmentsAndTheRestOfThePath() {
    Route one = route("GET", "/api/v1/integrations/{id}/conflicts/{conflictId}/resolve", Route.Access.TENANT);
    Route rest = route("GET", "/assets/{path*}", Route.Access.PUBLIC);

    assertThat(one.match(List.of("api", "v1", "integrations", "i-1", "conflicts", "c-9", "resolve")))
        .contains(Map.of("id", "i-1", "conflictId", "c-9"));
    assertThat(rest.match(List.of("assets", "css", "app.css"))).contains(Map.of("path", "css/app.css"));
    assertThat(rest.match(List.of("assets"))).isEmpty();
  }

  @Test
  void aTrailingSlashAnEmptySegmentOrAnExtraSegmentDoesNotMatch() {
    Route one = route("GET", "/api/v1/integrations/{id}", Route.Access.TENANT);

    assertThat(one.match(List.of("api", "v1", "integrations", "i-1", ""))).isEmpty();
    assertThat(one.match(List.of("api", "v1", "integrations", ""))).isEmpty();
    assertThat(one.match(List.of("api", "v1", "integrations", "i-1", "logs"))).isEmpty();
    assertThat(one.match(List.of("api", "v1", "integrations"))).isEmpty();
    assertThat(route("GET", "/", Route.Access.PUBLIC).match(List.of())).contains(Map.of());
  }

  @Test
  void literalSegmentsOutrankCapturesAndOnlyTenantRoutesWithAnIdOwnAnIntegration() {
    Route configured = route("GET", "/api/v1/integrations/configured", Route.Access.TENANT);
    Route one = route("GET", "/api/v1/integrations/{id}", Route.Access.TENANT);
    Route page = route("GET", "/integrations/{page}", Route.Access.PUBLIC);

    assertThat(configured.specificity()).isGreaterThan(one.specificity());
    assertThat(one.ownsIntegration()).isTrue();
    assertThat(configured.ownsIntegration()).isFalse();
    assertThat(page.ownsIntegration()).isFalse();
  }

  @Test
  void aPatternWithoutALeadingSlashOrANegativeCapIsRefused() {
    assertThatThrownBy(() -> route("GET", "api", Route.Access.PUBLIC)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pattern");
    assertThatThrownBy(() -> new Route("GET", "/x", Route.Access.PUBLIC, -1, c -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyBytes");
  }
}
