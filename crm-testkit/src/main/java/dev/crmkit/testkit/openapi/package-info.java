/**
 * Checks HTTP exchanges against OpenAPI 3 documents: build an {@link
 * dev.crmkit.testkit.openapi.OpenApiSpec} (or take {@link
 * dev.crmkit.testkit.openapi.HubSpotOpenApi#spec()}), run the code under test through an OkHttp
 * client carrying a {@link dev.crmkit.testkit.openapi.RecordingInterceptor}, then {@link
 * dev.crmkit.testkit.openapi.OpenApiSpec#report(java.util.Collection) report} on what it
 * recorded: every violation as a readable message, which operations were exercised, and which
 * requests no given spec covers.
 *
 * <p>For Salesforce, {@link dev.crmkit.testkit.openapi.SalesforceConformance} checks against both
 * the sObjects OpenAPI subset ({@link dev.crmkit.testkit.openapi.SalesforceOpenApi}) and the
 * request shapes of Salesforce's Postman collection ({@link
 * dev.crmkit.testkit.openapi.PostmanShapes}).
 */
package dev.crmkit.testkit.openapi;
