package dev.party.server.api;

import dev.party.error.ErrorCode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body up to a limit. A declared length past it is refused before a byte is read;
 * a chunked body is read only until it passes the limit. Either way nothing more is buffered.
 */
final class BodyReader {
  private final int maxBytes;

  BodyReader(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  byte[] read(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) throw tooLarge(declared + " bytes");
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(maxBytes + 1);
      if (body.length > maxBytes) throw tooLarge("more than " + maxBytes + " bytes");
      return body;
    } catch (IOException e) {
      BodyRate.SlowBody slow = ErrorMapper.slowBody(e);
      if (slow != null) throw new HttpRefusal(ErrorCode.REQUEST_TIMEOUT, slow.getMessage());
      throw new HttpRefusal(ErrorCode.INVALID_REQUEST,
          "the request body could not be read: the client stopped sending, or was too slow");
    }
  }

  private HttpRefusal tooLarge(String size) {
    return new HttpRefusal(ErrorCode.TOO_LARGE,
        "the request body is %s; the limit is %d bytes: send fewer tasks per request".formatted(size, maxBytes));
  }
}
