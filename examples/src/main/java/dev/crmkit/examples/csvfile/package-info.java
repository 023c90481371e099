/**
 * A host-defined provider: {@link dev.crmkit.examples.csvfile.CsvFileCustomerSystemProvider} keeps
 * customers in a CSV file and is found by {@link dev.crmkit.IntegrationFactory} under the name
 * {@code "csv-file"} through {@code META-INF/services}.
 */
package dev.crmkit.examples.csvfile;
