package dev.crmkit.salesforce;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A minimal HTTP/1.1 server on loopback for tests that need the caller's TCP address (MockWebServer does
 * not record it, and the JDK's HTTP server module is not readable by this module's tests): one
 * connection at a time, one request per connection, bodies by {@code Content-Length}.
 */
final class LoopbackEndpoint implements AutoCloseable {
  /** A request as received, with the peer address of its connection. */
  record Call(String method, String target, Map<String, List<String>> headers, byte[] body, InetAddress peer) {}

  /** The answer to write. */
  record Answer(int status, String contentType, String body) {}

  private final ServerSocket socket;
  private final Thread acceptor;

  LoopbackEndpoint(Function<Call, Answer> handler) {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try (Socket s = socket.accept()) {
          serve(s, handler);
        } catch (IOException e) {
          // Closed, or a client gone: take the next connection.
        }
      }
    }, "loopback-endpoint");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + socket.getLocalPort() + path;
  }

  private static void serve(Socket s, Function<Call, Answer> handler) throws IOException {
    InputStream in = new BufferedInputStream(s.getInputStream());
    String requestLine = line(in);
    String[] parts = requestLine.split(" ");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int length = 0;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).strip();
      String value = header.substring(colon + 1).strip();
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      if (name.toLowerCase(Locale.ROOT).equals("content-length")) {
        length = Integer.parseInt(value);
      }
    }
    byte[] body = in.readNBytes(length);
    Answer answer = handler.apply(new Call(parts[0], parts[1], headers, body, s.getInetAddress()));
    byte[] out = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.status()).append(" X\r\n")
        .append("Content-Length: ").append(out.length).append("\r\nConnection: close\r\n");
    if (answer.contentType() != null) {
      head.append("Content-Type: ").append(answer.contentType()).append("\r\n");
    }
    OutputStream o = s.getOutputStream();
    o.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    o.write(out);
    o.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
