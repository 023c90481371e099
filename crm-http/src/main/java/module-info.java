/**
 * crmkit's connector runtime for HTTP providers ({@code dev.crmkit.http}). {@code
 * dev.crmkit.http.internal} is not exported.
 */
module dev.crmkit.http {
  requires transitive dev.crmkit.core;
  requires org.slf4j;
  // HttpConnector.Builder and OAuth2Tokens take the host's OkHttpClient.
  requires transitive okhttp3;
  requires com.fasterxml.jackson.databind;

  exports dev.crmkit.http;
}
