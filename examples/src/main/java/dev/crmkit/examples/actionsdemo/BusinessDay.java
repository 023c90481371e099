package dev.crmkit.examples.actionsdemo;

import dev.crmkit.Channel;
import dev.crmkit.Money;
import dev.crmkit.Segment;
import dev.crmkit.actions.AppointmentBooked;
import dev.crmkit.actions.CallCompleted;
import dev.crmkit.actions.CallOutcome;
import dev.crmkit.actions.CustomerRef;
import dev.crmkit.actions.CustomerUpdated;
import dev.crmkit.actions.DocumentSent;
import dev.crmkit.actions.HostEvent;
import dev.crmkit.actions.MessageReceived;
import dev.crmkit.actions.OrderPlaced;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * One day of a hair and beauty studio's host events, in the order the host emits them, split into
 * the demo's three phases. The same script is played for every tenant; event ids are the host's own
 * (unique per tenant), so the two tenants never share one.
 */
final class BusinessDay {
  /** A person the studio hears from: how the host refers to them. */
  record Person(String name, CustomerRef ref) {}

  static final Person MAYA = new Person("Maya Lindqvist (SMS)", CustomerRef.byPhone("+14155550101"));
  static final Person TOM = new Person("Tom Okafor (WhatsApp)", CustomerRef.byPhone("+14155550102"));
  static final Person ANA = new Person("Ana Ruiz (email)", CustomerRef.byEmail("ana.ruiz@example.com"));
  static final Person LEE = new Person("Lee Chen (phone)", CustomerRef.byPhone("+14155550104"));
  static final Person SAM = new Person("Sam Patel (email)", CustomerRef.byEmail("sam.patel@example.org"));
  static final List<Person> PEOPLE = List.of(MAYA, TOM, ANA, LEE, SAM);
  /** A reference to a customer id nobody has: its event can never succeed and is parked. */
  static final CustomerRef NOBODY = CustomerRef.byId("cust-deleted-last-week");

  private final String tenant;
  private final LocalDate day;

  BusinessDay(String tenant, LocalDate day) {
    this.tenant = tenant;
    this.day = day;
  }

  /** Morning: first contacts, bookings, a call, a quote; two events delivered twice. */
  List<HostEvent> morning() {
    List<HostEvent> e = new ArrayList<>();
    e.add(message("m-0901", MAYA, "09:01", Channel.SMS, "Hi! Can I get a cut and colour this week?"));
    e.add(message("m-0907", TOM, "09:07", Channel.WHATSAPP, "Do you do beard trims on Saturdays?"));
    e.add(message("m-0915", ANA, "09:15", Channel.EMAIL, "Quote for a bridal party of five, please."));
    e.add(new AppointmentBooked(tenant, "a-0920", MAYA.ref(), at("09:20"), "Cut and colour",
        at("14:00").plus(Duration.ofDays(2)), Duration.ofMinutes(90), Money.of("120.00", "USD"), "Prefers Jo"));
    e.add(new CallCompleted(tenant, "c-0940", LEE.ref(), at("09:40"), Duration.ofSeconds(245),
        CallOutcome.COMPLETED, "New client; asked about gel nails and prices"));
    e.add(new DocumentSent(tenant, "d-1005", ANA.ref(), at("10:05"), "Bridal party quote Q-1042.pdf",
        "https://studio.example/docs/Q-1042.pdf", Channel.EMAIL));
    e.add(new AppointmentBooked(tenant, "a-1030", TOM.ref(), at("10:30"), "Beard trim",
        at("11:00").plus(Duration.ofDays(4)), Duration.ofMinutes(30), Money.of("25.00", "USD"), null));
    // The host's queue redelivers two events.
    e.add(new AppointmentBooked(tenant, "a-0920", MAYA.ref(), at("09:20"), "Cut and colour",
        at("14:00").plus(Duration.ofDays(2)), Duration.ofMinutes(90), Money.of("120.00", "USD"), "Prefers Jo"));
    e.add(message("m-0907", TOM, "09:07", Channel.WHATSAPP, "Do you do beard trims on Saturdays?"));
    return e;
  }

  /** Midday: orders, a follow-up call that got no answer, a customer update, another document. */
  List<HostEvent> midday() {
    List<HostEvent> e = new ArrayList<>();
    e.add(new OrderPlaced(tenant, "o-1205", MAYA.ref(), at("12:05"), "ORD-5001", Money.of("45.50", "USD"), at("12:05")));
    e.add(new CallCompleted(tenant, "c-1230", ANA.ref(), at("12:30"), Duration.ZERO, CallOutcome.NO_ANSWER, null));
    e.add(CustomerUpdated.builder(tenant, "u-1240", ANA.ref(), at("12:40"))
        .firstName("Ana").lastName("Ruiz").company("Ruiz Events").segment(Segment.VIP).build());
    e.add(message("m-1300", SAM, "13:00", Channel.EMAIL, "Is there parking near the studio?"));
    e.add(new OrderPlaced(tenant, "o-1315", TOM.ref(), at("13:15"), "ORD-5002", Money.of("18.00", "USD"), at("13:15")));
    e.add(new DocumentSent(tenant, "d-1320", MAYA.ref(), at("13:20"), "Aftercare guide.pdf", null, Channel.SMS));
    return e;
  }

  /** Afternoon: more bookings and calls, a redelivered order, and one event for a customer id nobody has. */
  List<HostEvent> afternoon() {
    List<HostEvent> e = new ArrayList<>();
    e.add(new AppointmentBooked(tenant, "a-1500", ANA.ref(), at("15:00"), "Bridal party trial",
        at("10:00").plus(Duration.ofDays(9)), Duration.ofHours(3), Money.of("650.00", "USD"), "Five people"));
    e.add(new CallCompleted(tenant, "c-1530", SAM.ref(), at("15:30"), Duration.ofSeconds(95),
        CallOutcome.COMPLETED, "Booked nothing yet; sent directions"));
    e.add(new OrderPlaced(tenant, "o-1205", MAYA.ref(), at("12:05"), "ORD-5001", Money.of("45.50", "USD"), at("12:05")));
    e.add(new CallCompleted(tenant, "c-1610", NOBODY, at("16:10"), Duration.ofSeconds(30),
        CallOutcome.VOICEMAIL, "Left a voicemail"));
    e.add(new OrderPlaced(tenant, "o-1645", LEE.ref(), at("16:45"), "ORD-5003", Money.of("62.00", "USD"), at("16:45")));
    return e;
  }

  private MessageReceived message(String id, Person p, String time, Channel channel, String text) {
    return new MessageReceived(tenant, id, p.ref(), at(time), channel, text, p.name().replaceAll(" \\(.*", ""));
  }

  private Instant at(String time) {
    return day.atTime(LocalTime.parse(time)).toInstant(ZoneOffset.UTC);
  }
}
