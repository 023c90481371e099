/**
 * CSV import: {@link dev.crmkit.examples.imports.CsvCustomerImporter} maps customer and lead exports
 * to drafts (reporting each bad row with file, line, column and value) and imports them through
 * {@link dev.crmkit.CustomerSystem#upsert}.
 */
package dev.crmkit.examples.imports;
