package dev.crmkit.testkit.hubspot;

import com.fasterxml.jackson.databind.JsonNode;

/** A status and a JSON body, or no body when {@code body} is null. */
record Reply(int status, JsonNode body) {}
