package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.Json.MAPPER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmkit.testkit.internal.AuthorizeEndpoint;
import dev.crmkit.testkit.internal.FaultQueue;
import dev.crmkit.testkit.internal.FormBody;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * Answers HTTP requests the way HubSpot does. Order per request: count it, inject a pending
 * fault, serve the consent page, check the bearer token (except at the OAuth
 * token and token-info endpoints), take rate budget (search
 * endpoints from the search budget), then serve. Thread-safe: the state lives in thread-safe
 * collaborators and this class keeps none of its own.
 */
final class HubSpotDispatcher extends Dispatcher {
  private static final String NOT_AUTHENTICATED =
      "Authentication credentials not found. This API supports OAuth 2.0 authentication and you"
          + " can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

  private final ObjectsApi objects;
  private final AssociationsApi associations;
  private final PipelinesApi pipelines;
  private final OAuthServer oauth;
  private final RateLimiter limiter;
  private final HubSpotFaults faults;
  private final HubSpotCounters counters;
  private final String privateAppAuthorization;
  private final AuthorizeEndpoint authorize;

  HubSpotDispatcher(
      ObjectsApi objects,
      AssociationsApi associations,
      PipelinesApi pipelines,
      OAuthServer oauth,
      RateLimiter limiter,
      HubSpotFaults faults,
      HubSpotCounters counters,
      String accessToken) {
    this.objects = objects;
    this.associations = associations;
    this.pipelines = pipelines;
    this.oauth = oauth;
    this.limiter = limiter;
    this.faults = faults;
    this.counters = counters;
    this.privateAppAuthorization = "Bearer " + accessToken;
    this.authorize = new AuthorizeEndpoint("HubSpot", "/oauth/authorize", oauth::knowsClient, true, false, false,
        (redirectUri, challenge) -> oauth.newAuthorizationCode(redirectUri));
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    Route route = Route.of(request.getMethod(), url.pathSegments());
    counters.recordRequest(route.key());
    String correlationId = UUID.randomUUID().toString();

    Duration delay = Duration.ZERO;
    FaultQueue.Fault fault = faults.poll();
    if (fault != null && fault.kind() == FaultQueue.Kind.SLOW) {
      delay = fault.delay();
    } else if (fault != null) {
      return injected(fault, correlationId);
    }
    MockResponse response = authorizeAndServe(route, request, url, correlationId);
    if (delay.isZero()) {
      return response;
    }
    return response.newBuilder().headersDelay(delay.toNanos(), TimeUnit.NANOSECONDS).build();
  }

  private MockResponse authorizeAndServe(Route route, RecordedRequest request, HttpUrl url, String correlationId) {
    if (route.op() == Route.Op.OAUTH_AUTHORIZE) {
      // The consent page is app.hubspot.com's, a browser page outside the API's limits.
      return authorize.serve(request.getMethod(), url, request.getBody());
    }
    if (route.op() != Route.Op.OAUTH_TOKEN && route.op() != Route.Op.ACCESS_TOKEN_INFO) {
      ApiError denied = authenticate(request.getHeaders().get("Authorization"));
      if (denied != null) {
        return respond(Json.error(denied, correlationId), limiter.peek(), correlationId);
      }
    }
    RateLimiter.Decision decision = limiter.acquire(route.search());
    if (decision.rejectedBy() != null) {
      counters.recordRateLimited();
      ObjectNode body = MAPPER.createObjectNode();
      body.put("status", "error");
      body.put("message", decision.rejectedBy().message);
      body.put("errorType", "RATE_LIMIT");
      body.put("correlationId", correlationId);
      body.put("policyName", decision.rejectedBy().name());
      return respond(new Reply(429, body), decision, correlationId);
    }
    Reply reply;
    try {
      reply = serve(route, url, request.getBody());
    } catch (ApiError error) {
      reply = route.op() == Route.Op.OAUTH_TOKEN ? oauthError(error, correlationId) : Json.error(error, correlationId);
    }
    return respond(reply, decision, correlationId);
  }

  /** @return null when the header carries the private-app token or a live issued token */
  private ApiError authenticate(String authorization) {
    if (privateAppAuthorization.equals(authorization)) {
      return null;
    }
    if (authorization != null && authorization.startsWith("Bearer ")) {
      String token = authorization.substring("Bearer ".length());
      switch (oauth.state(token)) {
        case LIVE:
          return null;
        case EXPIRED:
          long minutes = Math.max(0, oauth.expiredFor(token).toMinutes());
          return new ApiError(401, "EXPIRED_AUTHENTICATION",
              "The OAuth token used to make this call expired " + minutes + " minute(s) ago.", Map.of());
        default:
          break;
      }
    }
    return new ApiError(401, "INVALID_AUTHENTICATION", NOT_AUTHENTICATED, Map.of());
  }

  private Reply serve(Route route, HttpUrl url, ByteString rawBody) {
    switch (route.op()) {
      case UNKNOWN:
        throw new ApiError(404, "OBJECT_NOT_FOUND", "No endpoint at " + url.encodedPath(), Map.of());
      case OAUTH_TOKEN:
        return new Reply(200, oauth.token(FormBody.fields(url, rawBody)));
      case ACCESS_TOKEN_INFO:
        return new Reply(200, oauth.accessTokenInfo(route.params().get(0)));
      case ASSOCIATIONS_LIST:
      case ASSOCIATE_DEFAULT:
      case DISASSOCIATE:
        return associations.serve(route, url);
      case PIPELINES_LIST:
      case PIPELINE_READ:
      case PIPELINE_STAGES:
      case PIPELINE_STAGE:
        return pipelines.serve(route);
      default:
        return objects.serve(route, url, rawBody);
    }
  }

  /** HubSpot's OAuth errors put their code in {@code status}: {@code {status, message, correlationId}}. */
  private static Reply oauthError(ApiError error, String correlationId) {
    if (error.status != 400 || !error.category.startsWith("BAD_")) {
      return Json.error(error, correlationId);
    }
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", error.category);
    body.put("message", error.getMessage());
    body.put("correlationId", correlationId);
    return new Reply(400, body);
  }

  private MockResponse injected(FaultQueue.Fault fault, String correlationId) {
    switch (fault.kind()) {
      case DROP:
        return new MockResponse.Builder()
            .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
            .build();
      case MALFORMED:
        return headers(new MockResponse.Builder().code(200), limiter.peek(), correlationId)
            .body("{\"id\": \"1\", \"properties\": {\"email\": ")
            .build();
      default:
        ApiError error =
            new ApiError(
                fault.status(),
                fault.status() >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR",
                "Injected fault: HTTP " + fault.status(),
                Map.of());
        return respond(Json.error(error, correlationId), limiter.peek(), correlationId);
    }
  }

  private MockResponse respond(Reply reply, RateLimiter.Decision decision, String correlationId) {
    MockResponse.Builder builder = headers(new MockResponse.Builder().code(reply.status()), decision, correlationId);
    if (reply.body() != null) {
      try {
        builder.body(MAPPER.writeValueAsString(reply.body()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serializes", e);
      }
    }
    return builder.build();
  }

  private MockResponse.Builder headers(
      MockResponse.Builder builder, RateLimiter.Decision decision, String correlationId) {
    return builder
        .setHeader("Content-Type", "application/json;charset=utf-8")
        .setHeader("X-HubSpot-Correlation-Id", correlationId)
        .setHeader("X-HubSpot-RateLimit-Daily", limiter.dailyMax())
        .setHeader("X-HubSpot-RateLimit-Daily-Remaining", Math.max(0, decision.dailyRemaining()))
        .setHeader("X-HubSpot-RateLimit-Interval-Milliseconds", RateLimiter.INTERVAL.toMillis())
        .setHeader("X-HubSpot-RateLimit-Max", limiter.tenSecondlyMax())
        .setHeader("X-HubSpot-RateLimit-Remaining", Math.max(0, decision.remaining()));
  }
}
