/**
 * The shared connector runtime of crmkit's vendor providers: {@link dev.crmkit.http.HttpConnector}
 * sends {@link dev.crmkit.http.ApiRequest}s over one shared OkHttp client, adding per-call auth
 * ({@link dev.crmkit.http.AccessTokenProvider}), proactive rate limiting
 * ({@link dev.crmkit.http.RateLimiter}), retries ({@link dev.crmkit.http.RetryPolicy}), mapping of
 * HTTP statuses and vendor error bodies to {@link dev.crmkit.error.CrmException} subtypes
 * ({@link dev.crmkit.http.ErrorParser}), cursor paging into {@link dev.crmkit.Page}
 * ({@link dev.crmkit.http.HttpConnector#page}) and OAuth2 token refresh
 * ({@link dev.crmkit.http.OAuth2Tokens}). {@link dev.crmkit.http.CursorCodec} turns a provider's own
 * cursor records into the opaque cursors its pages hand out, and rejects any it did not make.
 *
 * <p>OkHttp and Jackson stay out of this API, except {@code HttpConnector.Builder.okHttpClient} and
 * {@code OAuth2Tokens.Builder.okHttpClient}, which let a host share its own client's pools.
 * Authorization headers, tokens and secrets never appear in a log line or a {@code toString()}.
 */
package dev.crmkit.http;
