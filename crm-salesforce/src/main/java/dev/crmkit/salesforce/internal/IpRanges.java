package dev.crmkit.salesforce.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of CIDR ranges, IPv4 and IPv6, such as Salesforce's published outbound-message ranges. An IPv4
 * address given as an IPv4-mapped IPv6 address ({@code ::ffff:13.108.0.1}) matches the IPv4 ranges.
 * Immutable and thread-safe.
 */
public final class IpRanges {
  private record Range(byte[] network, int prefix, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      return new BigInteger(1, address).shiftRight(address.length * 8 - prefix)
          .equals(new BigInteger(1, network).shiftRight(network.length * 8 - prefix));
    }
  }

  private final List<Range> ranges;

  private IpRanges(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * @param cidrs ranges such as {@code 13.108.0.0/14} or {@code 2a01:111::/32}; a bare address is a
   *     range of one
   * @return the ranges
   * @throws IllegalArgumentException naming the first range that is not an IP literal with a prefix
   *     length in range (0 to 32 for IPv4, 0 to 128 for IPv6) or whose address has bits set past the prefix
   */
  public static IpRanges parse(List<String> cidrs) {
    List<Range> out = new ArrayList<>();
    for (String cidr : cidrs) {
      if (cidr == null) {
        throw new IllegalArgumentException("ipRanges must not hold null");
      }
      String text = cidr.strip();
      int slash = text.indexOf('/');
      String host = slash < 0 ? text : text.substring(0, slash);
      byte[] address = literal(host);
      if (address == null) {
        throw new IllegalArgumentException("ipRanges: not an IPv4 or IPv6 CIDR range: '" + cidr + "'");
      }
      int max = address.length * 8;
      int prefix;
      if (slash < 0) {
        prefix = max;
      } else {
        String p = text.substring(slash + 1);
        if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > max) {
          throw new IllegalArgumentException("ipRanges: prefix length must be 0 to " + max + ": '" + cidr + "'");
        }
        prefix = Integer.parseInt(p);
      }
      BigInteger value = new BigInteger(1, address);
      if (prefix < max && value.mod(BigInteger.ONE.shiftLeft(max - prefix)).signum() != 0) {
        throw new IllegalArgumentException("ipRanges: address has bits set past the prefix length: '" + cidr + "'");
      }
      out.add(new Range(address, prefix, text));
    }
    return new IpRanges(out);
  }

  /** @return true when there are no ranges (nothing to check) */
  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /**
   * @param address the sender; not null
   * @return true when a range holds it
   */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16 && isV4Mapped(bytes)) {
      bytes = Arrays.copyOfRange(bytes, 12, 16);
    }
    for (Range r : ranges) {
      if (r.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The ranges as given, for messages. */
  @Override
  public String toString() {
    return ranges.stream().map(Range::text).toList().toString();
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  // Never InetAddress.getByName on text without a colon: a malformed IPv4 literal is looked up in DNS.
  private static byte[] literal(String host) {
    if (host.contains(":")) {
      if (!host.matches("[0-9A-Fa-f.:]{2,45}")) {
        return null;
      }
      try {
        return InetAddress.getByName(host).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      b[i] = (byte) Integer.parseInt(parts[i]);
    }
    return b;
  }
}
