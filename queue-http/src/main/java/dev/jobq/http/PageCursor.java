package dev.jobq.http;

import dev.jobq.JobStatus;
import dev.jobq.internal.Names;
import java.util.Locale;

/**
 * Where the next page of a queue's jobs starts, as the opaque {@code nextCursor} of {@code GET
 * /v1/queues/{q}/jobs}. It names its queue and status, so a cursor is refused for another
 * listing instead of silently paging through it; clients must not build or read one (what it
 * holds may change, the field will not).
 */
record PageCursor(String queue, JobStatus status, long offset) {
  private static final String VERSION = "1";

  String encode() {
    String plain = VERSION + "\n" + queue + "\n" + status.name() + "\n" + offset;
    return CursorText.encode(plain);
  }

  /**
   * The cursor a listing of {@code queue} gave; {@code status} is the one the request names, or
   * null to take the cursor's.
   */
  static PageCursor decode(String text, String queue, JobStatus status) {
    String[] parts = plain(text).split("\n", -1);
    PageCursor c;
    try {
      if (parts.length != 4 || !parts[0].equals(VERSION)) {
        throw new IllegalArgumentException("not four parts");
      }
      c = new PageCursor(parts[1], JobStatus.valueOf(parts[2]), Long.parseLong(parts[3]));
    } catch (IllegalArgumentException e) {
      throw refused(text, "is not one this API gave");
    }
    if (!c.queue.equals(queue) || c.offset < 0) {
      throw refused(text, "was not given for queue '" + queue + "'");
    }
    if (status != null && status != c.status) {
      throw refused(text, "was given for status " + c.status.name().toLowerCase(Locale.ROOT)
          + ", not " + status.name().toLowerCase(Locale.ROOT));
    }
    return c;
  }

  private static String plain(String text) {
    try {
      return CursorText.decode(text);
    } catch (IllegalArgumentException e) {
      throw refused(text, "is not one this API gave");
    }
  }

  private static Problem refused(String text, String why) {
    String shown = text.length() <= 80 ? text : text.substring(0, 80) + "…";
    return Problem.badRequest("\"cursor\" '" + Names.printable(shown) + "' " + why + ": pass"
        + " the \"nextCursor\" of the previous page unchanged, or leave \"cursor\" out to start"
        + " from the first page");
  }
}
