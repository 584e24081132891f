package dev.jobq.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bearer tokens a server accepts, each with its roles. Entries are {@code <role>[,<role>…]
 * <token>}: one per line in a token file ({@code #} starts a comment), separated by {@code ;} in
 * an environment variable. Only a digest of each token is kept, and no message, log line or
 * {@code toString} holds a token: a token is named by its number, "token #2 (admin)".
 */
final class Tokens {
  static final int MIN_LENGTH = 16;
  private static final String FORMAT = "'<role>[,<role>…] <token>', roles read, produce, work or"
      + " admin";

  /** One accepted token: its number (from 1, in the order given), its roles and its digest. */
  record Token(int number, Set<Role> roles, byte[] digest) {
    /** Admin may do everything, and every token may read. */
    boolean may(Role role) {
      return role == Role.PUBLIC || role == Role.READ || roles.contains(Role.ADMIN)
          || roles.contains(role);
    }

    @Override
    public String toString() {
      return "token #" + number + " (" + roles.stream().map(Tokens::name)
          .collect(Collectors.joining(", ")) + ")";
    }
  }

  static final Tokens NONE = new Tokens(List.of());

  private final List<Token> tokens;

  private Tokens(List<Token> tokens) {
    this.tokens = List.copyOf(tokens);
  }

  boolean isEmpty() {
    return tokens.isEmpty();
  }

  List<Token> all() {
    return tokens;
  }

  /** These tokens and then {@code more}'s, numbered on; a token given twice is refused. */
  Tokens and(Tokens more) {
    List<Token> joined = new ArrayList<>(tokens);
    for (Token t : more.tokens) {
      add(joined, t.roles, t.digest, "token #" + (joined.size() + 1));
    }
    return new Tokens(joined);
  }

  /**
   * The token {@code presented} is, if any. Digests of equal length are compared in constant
   * time and every entry is compared, so neither the answer's timing nor its length tells how
   * close a guess came.
   */
  Optional<Token> find(String presented) {
    byte[] digest = digest(presented);
    Token found = null;
    for (Token t : tokens) {
      if (MessageDigest.isEqual(digest, t.digest)) {
        found = t;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * Entries one per line, blank lines and {@code #} comments skipped; {@code source} names the
   * file.
   */
  static Tokens parseLines(String text, String source) {
    List<Token> tokens = new ArrayList<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        parseEntry(tokens, line, source + " line " + (i + 1));
      }
    }
    return new Tokens(tokens);
  }

  /** Entries separated by {@code ;}, as an environment variable holds them. */
  static Tokens parseList(String text, String source) {
    List<Token> tokens = new ArrayList<>();
    String[] entries = text.split(";", -1);
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      if (!entry.isEmpty()) {
        parseEntry(tokens, entry, source + " entry " + (i + 1));
      }
    }
    return new Tokens(tokens);
  }

  private static void parseEntry(List<Token> tokens, String entry, String where) {
    String[] fields = entry.split("\\s+");
    if (fields.length != 2) {
      // the fields are not echoed: one of them may be a token
      throw new IllegalArgumentException(where + ": expected " + FORMAT + ", found "
          + fields.length + " field(s) separated by spaces");
    }
    Set<Role> roles = roles(fields[0], where);
    String token = fields[1];
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(where + ": the token has " + token.length()
          + " characters; give at least " + MIN_LENGTH + ", such as the output of"
          + " 'openssl rand -hex 32'");
    }
    add(tokens, roles, digest(token), where);
  }

  private static void add(List<Token> tokens, Set<Role> roles, byte[] digest, String where) {
    for (Token t : tokens) {
      if (MessageDigest.isEqual(t.digest, digest)) {
        throw new IllegalArgumentException(where + ": repeats the token of token #" + t.number
            + "; give each caller a token of its own, with all its roles on one entry");
      }
    }
    tokens.add(new Token(tokens.size() + 1, Collections.unmodifiableSet(roles), digest));
  }

  private static Set<Role> roles(String field, String where) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : field.split(",", -1)) {
      Role role = switch (name.strip().toLowerCase(Locale.ROOT)) {
        case "read" -> Role.READ;
        case "produce" -> Role.PRODUCE;
        case "work" -> Role.WORK;
        case "admin" -> Role.ADMIN;
        default -> throw unknownRole(name, where);
      };
      roles.add(role);
    }
    return roles;
  }

  private static IllegalArgumentException unknownRole(String name, String where) {
    if (name.length() >= MIN_LENGTH) {
      // as long as a token: perhaps the token came first, so it is not echoed
      return new IllegalArgumentException(where + ": the first field is not a role; expected "
          + FORMAT + " (roles first, then the token)");
    }
    return new IllegalArgumentException(where + ": unknown role '" + name + "'; expected "
        + FORMAT);
  }

  static String name(Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }

  /** SHA-256 of the text: of a token, a session id, a dead-letter group's error. */
  static byte[] digest(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
