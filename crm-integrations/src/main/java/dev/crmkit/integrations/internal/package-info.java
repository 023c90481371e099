/** Implementation of the integrations layer; nothing outside crm-integrations imports it. */
package dev.crmkit.integrations.internal;
