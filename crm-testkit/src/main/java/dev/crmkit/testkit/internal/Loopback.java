package dev.crmkit.testkit.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The IPv4 loopback address every emulator binds to, so no test server is reachable from outside. */
public final class Loopback {
  /** {@code 127.0.0.1}, built from its bytes so no name lookup happens. */
  public static final InetAddress ADDRESS = address();

  private Loopback() {}

  private static InetAddress address() {
    try {
      return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a four-byte address is always valid", e);
    }
  }

  /**
   * @param port a bound port
   * @return {@code http://127.0.0.1:port}, without a trailing slash
   */
  public static String baseUrl(int port) {
    return "http://" + ADDRESS.getHostAddress() + ":" + port;
  }
}
