package dev.party.client;

import java.io.IOException;
import java.util.Map;

/** One HTTP/1.1 exchange with a Party server, over TCP or a Unix socket. */
interface Transport extends AutoCloseable {

  /**
   * {@code body} is null for requests without one; {@code waitLonger} lifts the transport's
   * timeout for calls that last as long as a task runs. Header names in the response are lower case.
   */
  Response exchange(String method, String path, Map<String, String> headers, byte[] body, boolean waitLonger)
      throws IOException, InterruptedException;

  record Response(int status, Map<String, String> headers, byte[] body) {}

  @Override
  void close();
}
