package dev.crmkit.http.internal;

import okhttp3.OkHttpClient;

/**
 * The process-wide base client used when the host gives none: every connector derives its own
 * timeouts from it with {@code newBuilder()}, so all share one connection pool and dispatcher.
 */
public final class SharedClient {
  private SharedClient() {}

  private static final class Holder {
    static final OkHttpClient INSTANCE = new OkHttpClient();
  }

  /** The shared base client, created on first use. */
  public static OkHttpClient get() {
    return Holder.INSTANCE;
  }
}
