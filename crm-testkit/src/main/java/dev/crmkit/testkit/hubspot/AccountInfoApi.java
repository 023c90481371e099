package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.Json.MAPPER;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * {@code GET /account-info/v3/details}: the emulated account's details in HubSpot's shape, {@code portalId}
 * the emulator's portal id, the other fields those of a standard US account ({@code timeZone}
 * {@value #TIME_ZONE}, with its UTC offset at the clock's now; {@code companyCurrency} {@value #CURRENCY};
 * {@code uiDomain} {@value #UI_DOMAIN}; {@code dataHostingLocation} {@value #DATA_HOSTING_LOCATION}).
 * Thread-safe.
 *
 * @see <a href="https://developers.hubspot.com/docs/api-reference/legacy/account/account-information/get-account-details">HubSpot: account details</a>
 */
final class AccountInfoApi {
  static final String TIME_ZONE = "US/Eastern";
  static final String CURRENCY = "USD";
  static final String UI_DOMAIN = "app.hubspot.com";
  static final String DATA_HOSTING_LOCATION = "na1";

  private final Clock clock;
  private final long portalId;

  AccountInfoApi(Clock clock, long portalId) {
    this.clock = clock;
    this.portalId = portalId;
  }

  Reply details() {
    ZoneOffset offset = ZoneId.of(TIME_ZONE).getRules().getOffset(clock.instant());
    ObjectNode body = MAPPER.createObjectNode();
    body.put("portalId", portalId);
    body.put("accountType", "STANDARD");
    body.put("timeZone", TIME_ZONE);
    body.put("companyCurrency", CURRENCY);
    body.putArray("additionalCurrencies");
    body.put("utcOffset", offset.getId());
    body.put("utcOffsetMilliseconds", offset.getTotalSeconds() * 1000L);
    body.put("uiDomain", UI_DOMAIN);
    body.put("dataHostingLocation", DATA_HOSTING_LOCATION);
    return new Reply(200, body);
  }
}
