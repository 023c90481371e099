package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmkit.testkit.internal.AuthorizeEndpoint;
import dev.crmkit.testkit.internal.FaultQueue;
import dev.crmkit.testkit.internal.FormBody;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;

/**
 * Answers HTTP requests the way Salesforce does. Order per request: count it, inject a pending
 * fault, serve the versions list, the consent page or the token endpoint (no session needed), hand a SOAP call to
 * {@link SoapApi} (which checks the envelope's session and the allocation itself), check the session
 * (401 INVALID_SESSION_ID), take one call from the daily allocation (403 REQUEST_LIMIT_EXCEEDED),
 * then serve. Every answer to an API call carries {@code Sforce-Limit-Info}. Thread-safe: the
 * state lives in thread-safe collaborators.
 */
final class SalesforceDispatcher extends Dispatcher {
  private final RestApi api;
  private final SessionServer sessions;
  private final ApiUsage usage;
  private final SalesforceFaults faults;
  private final SalesforceCounters counters;
  private final SalesforceOutboundMessages outbound;
  private final SoapApi soap;
  private final AuthorizeEndpoint authorize;

  SalesforceDispatcher(RestApi api, SoapApi soap, SessionServer sessions, ApiUsage usage, SalesforceFaults faults,
      SalesforceCounters counters, SalesforceOutboundMessages outbound) {
    this.api = api;
    this.soap = soap;
    this.sessions = sessions;
    this.usage = usage;
    this.faults = faults;
    this.counters = counters;
    this.outbound = outbound;
    this.authorize = new AuthorizeEndpoint("Salesforce", "/services/oauth2/authorize", sessions::knowsClient, false, true,
        true, sessions::newAuthorizationCode);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    Route route = Route.of(request.getMethod(), url.pathSegments());
    counters.recordRequest(route.key());
    Duration delay = Duration.ZERO;
    FaultQueue.Fault fault = faults.poll();
    if (fault != null && fault.kind() == FaultQueue.Kind.SLOW) {
      delay = fault.delay();
    } else if (fault != null) {
      return injected(fault);
    }
    MockResponse response = authorizeAndServe(route, request, url);
    outbound.collect();
    if (delay.isZero()) {
      return response;
    }
    return response.newBuilder().headersDelay(delay.toNanos(), TimeUnit.NANOSECONDS).build();
  }

  private MockResponse authorizeAndServe(Route route, RecordedRequest request, HttpUrl url) {
    if (route.op() == Route.Op.OAUTH_AUTHORIZE) {
      return authorize.serve(request.getMethod(), url, request.getBody());
    }
    if (route.op() == Route.Op.OAUTH_TOKEN) {
      try {
        return json(new Reply(200, sessions.token(FormBody.fields(url, request.getBody()))), false);
      } catch (SessionServer.OAuthError error) {
        ObjectNode body = RestApi.MAPPER.createObjectNode();
        body.put("error", error.error);
        body.put("error_description", error.getMessage());
        return json(new Reply(error.status, body), false);
      }
    }
    if (route.op() == Route.Op.SOAP) {
      // SOAP carries its session in the envelope, and answers in XML (faults with 500).
      SoapApi.SoapReply reply = soap.serve(request.getBody() == null ? "" : request.getBody().utf8());
      return new MockResponse.Builder().code(reply.status()).setHeader("Content-Type", "text/xml;charset=UTF-8")
          .body(reply.xml()).build();
    }
    if (route.api()) {
      String authorization = request.getHeaders().get("Authorization");
      String token = null;
      if (authorization != null && authorization.startsWith("Bearer ")) {
        token = authorization.substring("Bearer ".length()).trim();
      } else if (authorization != null && authorization.startsWith("OAuth ")) {
        token = authorization.substring("OAuth ".length()).trim();
      }
      if (token == null || sessions.state(token) != SessionServer.State.LIVE) {
        SfError error = new SfError(401, "INVALID_SESSION_ID", "Session expired or invalid");
        return json(new Reply(401, RestApi.errorBody(error)), false);
      }
      if (!usage.acquire()) {
        counters.recordLimitExceeded();
        SfError error = new SfError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        return json(new Reply(403, RestApi.errorBody(error)), true);
      }
    }
    Reply reply;
    try {
      if (route.op() == Route.Op.UNKNOWN) {
        throw SfError.notFound();
      }
      reply = api.serve(route, url, request.getBody(), request.getHeaders().get("Sforce-Query-Options"),
          request.getHeaders().get("Content-Type"));
    } catch (SfError error) {
      reply = new Reply(error.status, RestApi.errorBody(error));
    }
    return json(reply, route.api());
  }

  private MockResponse injected(FaultQueue.Fault fault) {
    switch (fault.kind()) {
      case DROP:
        return new MockResponse.Builder()
            .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
            .build();
      case MALFORMED:
        return new MockResponse.Builder().code(200)
            .setHeader("Content-Type", "application/json;charset=UTF-8")
            .setHeader("Sforce-Limit-Info", usage.header())
            .body("{\"totalSize\": 1, \"records\": [")
            .build();
      default:
        String code = fault.status() == 503 ? "SERVER_UNAVAILABLE" : fault.status() >= 500 ? "UNKNOWN_EXCEPTION" : "BAD_REQUEST";
        SfError error = new SfError(fault.status(), code, "Injected fault: HTTP " + fault.status());
        return json(new Reply(fault.status(), RestApi.errorBody(error)), true);
    }
  }

  private MockResponse json(Reply reply, boolean limitInfo) {
    MockResponse.Builder builder = new MockResponse.Builder().code(reply.status());
    if (limitInfo) {
      builder.setHeader("Sforce-Limit-Info", usage.header());
    }
    reply.headers().forEach(builder::setHeader);
    if (reply.text() != null) {
      builder.setHeader("Content-Type", reply.contentType() + ";charset=UTF-8").body(reply.text());
    } else if (reply.body() != null) {
      try {
        builder.setHeader("Content-Type", "application/json;charset=UTF-8")
            .body(RestApi.MAPPER.writeValueAsString(reply.body()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serializes", e);
      }
    }
    return builder.build();
  }
}
