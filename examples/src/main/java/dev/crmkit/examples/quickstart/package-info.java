/**
 * The README's quick start as a program: {@link dev.crmkit.examples.quickstart.QuickStart} handles one
 * WhatsApp message twice on an embedded H2 database and shows the redelivery as a duplicate.
 */
package dev.crmkit.examples.quickstart;
