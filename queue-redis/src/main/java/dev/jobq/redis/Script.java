package dev.jobq.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua transitions, one file each under {@code lua/}, each prefixed with the locals
 * {@link LuaPrelude} generates (keys, reply codes, allowed status changes) and {@code lib.lua}.
 * The SHA is computed here, so a call goes out as EVALSHA first and the source is sent only
 * when Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH).
 */
enum Script {
  ENQUEUE("enqueue"),
  CLAIM("claim"),
  HEARTBEAT("heartbeat"),
  COMPLETE("complete"),
  FAIL("fail"),
  REAP("reap"),
  RELEASE("release"),
  PROGRESS("progress"),
  CANCEL("cancel"),
  RETRY_FAILED("retry_failed"),
  CLEAR("clear"),
  PURGE("purge"),
  DELETE("delete"),
  RUN_NOW("run_now"),
  REPAIR("repair"),
  WAKE("wake"),
  EXPIRE("expire"),
  UPGRADE("upgrade");


  /** Enum constants cannot read a static field of their own enum while they are built. */
  private static final class Lib {
    static final String SOURCE = LuaPrelude.text() + read("lib");
  }

  final String source;
  final byte[] shaBytes;

  /**
   * The script runs as a function, so that lib.lua's commit() follows it: the jobs it changed
   * are written then, in one HSET. A script that fails writes none of them: every script
   * checks all of its input before its first write (lib.lua), so a refused request writes
   * nothing at all, where committing would have left the jobs of a half-made batch in no list.
   * (Redis refuses a script's first write for OOM or READONLY, never a later one.) A failure
   * is answered as the error it was, its code first (READONLY, OOM, ERR jobq: …), which
   * Connections reads: Redis 7 hands pcall a failed command's error as text, Redis 6 as an
   * error reply already.
   */
  Script(String file) {
    this.source = "local SCRIPT = '" + file + "'\n" + Lib.SOURCE
        + "\nlocal function main()\n" + read(file) + "\nend\n"
        + "local ok, out = pcall(main)\n"
        + "if not ok then return type(out) == 'table' and out or redis.error_reply(out) end\n"
        + "commit()\nreturn out\n";
    this.shaBytes = sha1(source).getBytes(StandardCharsets.US_ASCII);
  }

  private static String read(String name) {
    String path = "lua/" + name + ".lua";
    try (InputStream in = Script.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
