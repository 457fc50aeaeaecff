package dev.party.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** java.net.http over TCP: HTTP/1.1 with keep-alive, so a client reuses its connections. */
final class TcpTransport implements Transport {
  /** Bodies past this size ask the server first (Expect: 100-continue), so a refused one is not sent. */
  private static final int EXPECT_CONTINUE_BYTES = 64 * 1024;

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  TcpTransport(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .build();
  }

  @Override
  public Response exchange(String method, String path, Map<String, String> headers, byte[] body, boolean waitLonger)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path));
    if (!waitLonger) request.timeout(timeout);
    request
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body))
        .expectContinue(body != null && body.length > EXPECT_CONTINUE_BYTES);
    headers.forEach(request::header);
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> responseHeaders = new HashMap<>();
    response.headers().map().forEach((name, values) -> responseHeaders.put(name.toLowerCase(), values.getFirst()));
    return new Response(response.statusCode(), responseHeaders, response.body());
  }

  @Override
  public void close() {
    http.close();
  }
}
