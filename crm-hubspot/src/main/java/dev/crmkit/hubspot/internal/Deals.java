package dev.crmkit.hubspot.internal;

import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.DealUpdate;
import dev.crmkit.Money;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.HubSpotApi.Filter;
import dev.crmkit.hubspot.internal.HubSpotApi.Search;
import dev.crmkit.hubspot.internal.HubSpotCursors.DealsCursor;
import dev.crmkit.spi.Validation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Deals: HubSpot deal objects associated to a contact (type 3), their pipelines read from the
 * pipelines API and cached for {@link #PIPELINES_TTL}, and the translation between a {@link Deal}
 * and deal properties. Thread-safe: the only mutable state is the cached pipelines, replaced whole.
 *
 * <table>
 *   <caption>Deal fields and HubSpot deal properties</caption>
 *   <tr><th>field</th><th>property</th></tr>
 *   <tr><td>title</td><td>{@code dealname}</td></tr>
 *   <tr><td>amount</td><td>{@code amount} (a number as text) and {@code deal_currency_code}; read back
 *       without a currency code, in the tenant's {@code dealCurrency}</td></tr>
 *   <tr><td>pipelineId, stageId</td><td>{@code pipeline}, {@code dealstage}</td></tr>
 *   <tr><td>status</td><td>from the stage's metadata: {@code isClosed} false is OPEN, closed with
 *       {@code probability} 1.0 WON, any other closed stage LOST</td></tr>
 *   <tr><td>expectedCloseDate</td><td>{@code closedate}, written as midnight UTC of the date, read as
 *       its UTC date</td></tr>
 *   <tr><td>owner</td><td>{@code hubspot_owner_id}, a numeric HubSpot owner id</td></tr>
 *   <tr><td>customFields</td><td>the deal properties mapped by {@code dealCustomField.<name>}
 *       settings; an unmapped field is rejected</td></tr>
 *   <tr><td>idempotency key</td><td>{@value Engagement#IDEMPOTENCY_KEY}, searchable</td></tr>
 * </table>
 */
public final class Deals {
  /** How long {@link #pipelines()} answers from its cache. */
  public static final Duration PIPELINES_TTL = Duration.ofSeconds(60);
  static final String NAME = "dealname";
  static final String AMOUNT = "amount";
  static final String CURRENCY = "deal_currency_code";
  static final String PIPELINE = "pipeline";
  static final String STAGE = "dealstage";
  static final String CLOSE_DATE = "closedate";
  static final String OWNER = "hubspot_owner_id";
  static final String CREATED = "createdate";
  static final String MODIFIED = "hs_lastmodifieddate";

  private static final Pattern OWNER_ID = Pattern.compile("\\d{1,18}");
  private static final Comparator<Deal> NEWEST_FIRST = Comparator.comparing(Deal::createdAt, Comparator.reverseOrder())
      .thenComparing(d -> Long.parseLong(d.id()), Comparator.reverseOrder());

  private record Cached(List<Pipeline> pipelines, Instant until) {}

  private final ContactReader contacts;
  private final HubSpotApi api;
  private final AccountState account;
  private final Clock clock;
  private final Currency defaultCurrency;
  private final Map<String, String> customFieldToProperty;
  private final Map<String, String> propertyToCustomField = new TreeMap<>();
  private final List<String> properties;
  private volatile Cached cached;

  /**
   * @param defaultCurrency the account's company currency, for amounts without {@code deal_currency_code}
   * @param customFieldToProperty custom field name to deal property
   */
  public Deals(ContactReader contacts, AccountState account, Clock clock, Currency defaultCurrency,
      Map<String, String> customFieldToProperty) {
    this.contacts = contacts;
    this.api = contacts.api();
    this.account = account;
    this.clock = clock;
    this.defaultCurrency = defaultCurrency;
    this.customFieldToProperty = Map.copyOf(customFieldToProperty);
    customFieldToProperty.forEach((f, p) -> propertyToCustomField.put(p, f));
    List<String> p = new ArrayList<>(List.of(NAME, AMOUNT, CURRENCY, PIPELINE, STAGE, CLOSE_DATE, OWNER, CREATED,
        MODIFIED, Engagement.IDEMPOTENCY_KEY));
    p.addAll(new TreeMap<>(propertyToCustomField).keySet());
    this.properties = List.copyOf(p);
  }

  // ------------------------------------------------------------------------------------ pipelines

  /** The account's deal pipelines, by HubSpot's display order; from the cache when read less than a minute ago. */
  public List<Pipeline> pipelines() {
    Cached c = cached;
    Instant now = clock.instant();
    if (c != null && now.isBefore(c.until())) {
      return c.pipelines();
    }
    List<Pipeline> fresh = readPipelines(api.dealPipelines());
    cached = new Cached(fresh, now.plus(PIPELINES_TTL));
    return fresh;
  }

  /**
   * HubSpot pipelines as crmkit's, archived ones and archived stages left out, sorted by display
   * order then label, as HubSpot shows them. A pipeline without a won and a lost stage (HubSpot
   * allows one) is left out, since a {@link Pipeline} needs both.
   */
  static List<Pipeline> readPipelines(List<Map<String, Object>> results) {
    List<Map<String, Object>> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparing((Map<String, Object> m) -> order(m)).thenComparing(m -> String.valueOf(m.get("label"))));
    List<Pipeline> out = new ArrayList<>();
    for (Map<String, Object> p : sorted) {
      if (Boolean.TRUE.equals(p.get("archived"))) {
        continue;
      }
      List<Map<String, Object>> stages = new ArrayList<>(HubSpotApi.maps(p.get("stages")));
      stages.sort(Comparator.comparing(Deals::order));
      List<DealStage> mapped = new ArrayList<>();
      for (Map<String, Object> s : stages) {
        if (!Boolean.TRUE.equals(s.get("archived"))) {
          mapped.add(new DealStage(String.valueOf(s.get("id")), String.valueOf(s.get("label")), status(s.get("metadata"))));
        }
      }
      try {
        out.add(new Pipeline(String.valueOf(p.get("id")), String.valueOf(p.get("label")), mapped));
      } catch (IllegalArgumentException e) {
        // Not a pipeline crmkit can hold (no won or no lost stage); its deals read as OPEN at their stage.
      }
    }
    if (out.isEmpty()) {
      throw new ValidationException(HubSpotApi.PROVIDER, List.of(new FieldError("pipelines", null,
          "the HubSpot account has no deal pipeline with a won and a lost stage")));
    }
    return List.copyOf(out);
  }

  private static int order(Map<String, Object> m) {
    return m.get("displayOrder") instanceof Number n ? n.intValue() : Integer.MAX_VALUE;
  }

  /** A stage's status from its metadata: {@code isClosed} and {@code probability}, both strings in HubSpot's answers. */
  static DealStatus status(Object metadata) {
    if (!(metadata instanceof Map<?, ?> m) || !"true".equalsIgnoreCase(String.valueOf(m.get("isClosed")))) {
      return DealStatus.OPEN;
    }
    try {
      return new BigDecimal(String.valueOf(m.get("probability")).trim()).compareTo(BigDecimal.ONE) == 0
          ? DealStatus.WON : DealStatus.LOST;
    } catch (NumberFormatException e) {
      return DealStatus.LOST;
    }
  }

  // ------------------------------------------------------------------------------------ create

  /**
   * Creates a deal associated to the live contact. The pipeline and stage are resolved against
   * {@link #pipelines()} before anything is written. With an idempotency key, under the account's
   * per-key lock, the key is searched first and an earlier deal returned as it is.
   */
  public Deal create(String customerId, DealDraft draft) {
    if (draft == null) {
      throw ValidationException.of("deal", null, "must not be null");
    }
    String cid = contacts.requireLiveId(customerId, "customerId");
    Deal resolved = draft.toDeal("0", cid, pipelines(), clock.instant());
    Map<String, String> props = new TreeMap<>();
    props.put(NAME, resolved.title());
    props.put(PIPELINE, resolved.pipelineId());
    props.put(STAGE, resolved.stageId());
    List<FieldError> errors = new ArrayList<>();
    if (draft.amount() != null) {
      props.put(AMOUNT, draft.amount().amount().toPlainString());
      props.put(CURRENCY, draft.amount().currency().getCurrencyCode());
    }
    if (draft.expectedCloseDate() != null) {
      props.put(CLOSE_DATE, closeDate(draft.expectedCloseDate()));
    }
    if (draft.owner() != null) {
      props.put(OWNER, owner(draft.owner(), errors));
    }
    customFields(draft.customFields(), props, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(HubSpotApi.PROVIDER, errors);
    }
    String key = draft.idempotencyKey();
    if (key == null) {
      return read(api.createDeal(props, cid), cid);
    }
    props.put(Engagement.IDEMPOTENCY_KEY, key);
    return account.locked("deal:" + key, () -> findByKey(key).orElseGet(() -> read(api.createDeal(props, cid), cid)));
  }

  /** The deal created under an idempotency key, by a search on {@value Engagement#IDEMPOTENCY_KEY}. */
  Optional<Deal> findByKey(String key) {
    Page<Map<String, Object>> hits = api.searchObjects("deals", new Search(
        List.of(List.of(new Filter(Engagement.IDEMPOTENCY_KEY, "EQ", key))), List.of(CREATED), List.of(CREATED), 1, null));
    for (Map<String, Object> hit : hits.items()) {
      Optional<Deal> deal = get(HubSpotApi.string(hit.get("id")));
      if (deal.isPresent()) {
        return deal;
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------------------------ read

  /** The live deal with this id, with its first associated contact as customer ({@code ""} when none). */
  public Optional<Deal> get(String dealId) {
    if (!ContactReader.isId(dealId)) {
      return Optional.empty();
    }
    try {
      Map<String, Object> deal = api.getDeal(dealId, properties);
      return Optional.of(read(deal, firstContact(deal)));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static String firstContact(Map<String, Object> deal) {
    if (deal.get("associations") instanceof Map<?, ?> a && a.get("contacts") instanceof Map<?, ?> c) {
      return HubSpotApi.maps(c.get("results")).stream().map(r -> HubSpotApi.string(r.get("id")))
          .filter(ContactReader::isId).min(Comparator.comparing(Long::parseLong)).orElse("");
    }
    return "";
  }

  /**
   * The contact's deals, newest first (by {@code createdate}, then id): every deal associated to it
   * is read (v4 associations, then batch reads of 100), sorted, and paged behind a keyset cursor, so
   * a deal created between pages does not shift the ones after it.
   */
  public Page<Deal> list(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    DealsCursor after = request.cursor() == null ? null : HubSpotCursors.DEALS.decode(request.cursor());
    String cid = contacts.requireLiveId(customerId, "customerId");
    List<String> ids = api.associatedDeals(cid);
    List<Deal> all = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += HubSpotApi.BATCH_LIMIT) {
      for (Map<String, Object> d : api.batchReadDeals(ids.subList(i, Math.min(ids.size(), i + HubSpotApi.BATCH_LIMIT)),
          properties)) {
        all.add(read(d, cid));
      }
    }
    all.sort(NEWEST_FIRST);
    List<Deal> items = new ArrayList<>();
    boolean more = false;
    for (Deal d : all) {
      if (after != null && !isAfter(d, after)) {
        continue;
      }
      if (items.size() == request.limit()) {
        more = true;
        break;
      }
      items.add(d);
    }
    String cursor = null;
    if (more) {
      Deal last = items.get(items.size() - 1);
      cursor = HubSpotCursors.DEALS.encode(new DealsCursor(last.createdAt().toEpochMilli(), Long.parseLong(last.id())));
    }
    return new Page<>(items, cursor, c -> list(customerId, request.at(c)));
  }

  private static boolean isAfter(Deal d, DealsCursor c) {
    long at = d.createdAt().toEpochMilli();
    return at < c.createdAt() || at == c.createdAt() && Long.parseLong(d.id()) < c.id();
  }

  // ------------------------------------------------------------------------------------ update

  /**
   * Reads the deal, applies the update against {@link #pipelines()} (refusing an unknown pipeline or
   * stage, or a status that disagrees with the stage, before any write), then PATCHes only the
   * properties that change.
   */
  public Deal update(String dealId, DealUpdate update) {
    if (update == null) {
      throw ValidationException.of("update", null, "must not be null");
    }
    Deal before = get(dealId).orElseThrow(() -> new NotFoundException(HubSpotApi.PROVIDER, "deal", dealId));
    Deal after = update.applyTo(before, pipelines(), clock.instant());
    Map<String, String> props = new TreeMap<>();
    List<FieldError> errors = new ArrayList<>();
    if (update.title() != null) {
      props.put(NAME, after.title());
    }
    if (update.touchesAmount()) {
      props.put(AMOUNT, after.amount() == null ? "" : after.amount().amount().toPlainString());
      if (after.amount() != null) {
        props.put(CURRENCY, after.amount().currency().getCurrencyCode());
      }
    }
    if (!after.pipelineId().equals(before.pipelineId()) || !after.stageId().equals(before.stageId())) {
      props.put(PIPELINE, after.pipelineId());
      props.put(STAGE, after.stageId());
    }
    if (update.touchesExpectedCloseDate()) {
      props.put(CLOSE_DATE, after.expectedCloseDate() == null ? "" : closeDate(after.expectedCloseDate()));
    }
    if (update.touchesOwner()) {
      props.put(OWNER, after.owner() == null ? "" : owner(after.owner(), errors));
    }
    Map<String, String> custom = new TreeMap<>();
    update.customFields().forEach((k, v) -> custom.put(k, v == null ? "" : v));
    customFields(custom, props, errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(HubSpotApi.PROVIDER, errors);
    }
    if (props.isEmpty()) {
      return before;
    }
    return read(api.updateDeal(before.id(), props), before.customerId());
  }

  // ------------------------------------------------------------------------------------ mapping

  private static String closeDate(LocalDate date) {
    return date.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
  }

  private static String owner(String owner, List<FieldError> errors) {
    if (!OWNER_ID.matcher(owner).matches()) {
      errors.add(new FieldError("owner", Validation.abbreviate(owner),
          "HubSpot keeps a deal's owner as a numeric owner id (hubspot_owner_id), 1 to 18 digits"));
    }
    return owner;
  }

  private void customFields(Map<String, String> fields, Map<String, String> props, List<FieldError> errors) {
    fields.forEach((name, value) -> {
      String property = customFieldToProperty.get(name);
      if (property == null) {
        errors.add(new FieldError("customFields." + name, Validation.abbreviate(value),
            "no HubSpot deal property is mapped to this custom field (configure dealCustomField." + name + ")"));
      } else {
        props.put(property, value);
      }
    });
  }

  /** A deal object (properties as strings) as a {@link Deal} of a customer. */
  Deal read(Map<String, Object> object, String customerId) {
    Map<String, String> p = HubSpotApi.properties(object);
    List<FieldError> errors = new ArrayList<>();
    String pipelineId = orEmpty(p.get(PIPELINE));
    String stageId = orEmpty(p.get(STAGE));
    DealStatus status = DealStatus.OPEN;
    Cached c = cached;
    List<Pipeline> known = c == null ? pipelines() : c.pipelines();
    Optional<DealStage> stage = known.stream().filter(x -> x.id().equals(pipelineId)).findFirst()
        .flatMap(x -> x.stage(stageId));
    if (stage.isEmpty() && c != null) {
      // A stage added since the cache was filled: read the pipelines again once.
      cached = null;
      stage = pipelines().stream().filter(x -> x.id().equals(pipelineId)).findFirst().flatMap(x -> x.stage(stageId));
    }
    if (stage.isPresent()) {
      status = stage.get().status();
    }
    Money amount = null;
    String a = p.get(AMOUNT);
    if (a != null && !a.isBlank()) {
      try {
        String code = p.get(CURRENCY);
        amount = new Money(new BigDecimal(a.trim()), code == null || code.isBlank() ? defaultCurrency : Money.currency(code));
      } catch (NumberFormatException e) {
        errors.add(new FieldError(AMOUNT, Validation.abbreviate(a), "HubSpot returned an amount that is not a number"));
      } catch (ValidationException e) {
        errors.add(new FieldError(CURRENCY, p.get(CURRENCY), "not an ISO 4217 currency code"));
      }
    }
    LocalDate close = null;
    String cd = p.get(CLOSE_DATE);
    if (cd != null && !cd.isBlank()) {
      Instant at = PropertyValues.time(CLOSE_DATE, cd, errors);
      close = at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC);
    }
    Instant created = PropertyValues.time("createdAt", HubSpotApi.string(object.get("createdAt")), errors);
    Instant updated = PropertyValues.time("updatedAt", HubSpotApi.string(object.get("updatedAt")), errors);
    if (!errors.isEmpty()) {
      throw new ValidationException(HubSpotApi.PROVIDER, errors);
    }
    Map<String, String> custom = new LinkedHashMap<>();
    propertyToCustomField.forEach((property, field) -> {
      String v = p.get(property);
      if (v != null && !v.isEmpty()) {
        custom.put(field, v);
      }
    });
    String owner = p.get(OWNER);
    return new Deal(HubSpotApi.string(object.get("id")), customerId, orEmpty(p.get(NAME)), amount, pipelineId, stageId,
        status, close, owner == null || owner.isBlank() ? null : owner, custom,
        created == null ? clock.instant() : created, updated == null ? clock.instant() : updated);
  }

  private static String orEmpty(String v) {
    return v == null ? "" : v;
  }
}
