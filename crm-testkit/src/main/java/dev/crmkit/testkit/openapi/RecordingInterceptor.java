package dev.crmkit.testkit.openapi;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;
import okio.GzipSource;
import okio.Okio;

/**
 * An OkHttp interceptor that records every exchange passing through it, for {@link
 * OpenApiSpec#report(java.util.Collection)}:
 *
 * <pre>{@code
 * RecordingInterceptor recorder = new RecordingInterceptor();
 * OkHttpClient client = new OkHttpClient.Builder().addInterceptor(recorder).build();
 * // ... run the code under test with client ...
 * ConformanceReport report = HubSpotOpenApi.spec().report(recorder.exchanges());
 * }</pre>
 *
 * <p>As an application interceptor ({@code addInterceptor}) it sees each call once, with the body
 * already decompressed; as a network interceptor ({@code addNetworkInterceptor}) it sees every
 * attempt, and gunzips bodies itself. The response body is peeked up to {@value #MAX_BODY_BYTES}
 * bytes and left unread for the caller. One-shot and duplex request bodies are recorded as absent,
 * since reading them would consume them. Calls that fail without a response are not recorded.
 *
 * <p>Thread-safe: calls on several threads may record at once.
 */
public final class RecordingInterceptor implements Interceptor {
  /** The most response bytes recorded per exchange: 16 MiB. */
  public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  private final List<HttpExchange> exchanges = new CopyOnWriteArrayList<>();

  /** Creates a recorder with nothing recorded. */
  public RecordingInterceptor() {}

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    RequestBody body = request.body();
    String requestBody = null;
    String requestContentType = request.header("Content-Type");
    if (body != null && !body.isOneShot() && !body.isDuplex()) {
      Buffer buffer = new Buffer();
      body.writeTo(buffer);
      requestBody = buffer.readUtf8();
      MediaType type = body.contentType();
      if (type != null) {
        requestContentType = type.toString();
      }
    }
    Response response = chain.proceed(request);
    String responseBody;
    if ("gzip".equalsIgnoreCase(response.header("Content-Encoding"))) {
      try (BufferedSource gunzipped =
          Okio.buffer(new GzipSource(response.peekBody(MAX_BODY_BYTES).source()))) {
        responseBody = gunzipped.readUtf8();
      }
    } else {
      responseBody = response.peekBody(MAX_BODY_BYTES).string();
    }
    exchanges.add(new HttpExchange(
        request.method(),
        request.url().toString(),
        requestContentType,
        requestBody,
        response.code(),
        response.header("Content-Type"),
        responseBody));
    return response;
  }

  /**
   * The exchanges recorded so far, oldest first.
   *
   * @return an unmodifiable snapshot
   */
  public List<HttpExchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** Forgets every recorded exchange. */
  public void clear() {
    exchanges.clear();
  }
}
