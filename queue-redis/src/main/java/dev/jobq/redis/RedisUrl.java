package dev.jobq.redis;

import dev.jobq.internal.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import redis.clients.jedis.HostAndPort;

/**
 * A Redis URL taken apart and checked: one server ({@code redis://}, {@code rediss://}) or the
 * Sentinels that know where a master is ({@code redis-sentinel://}, {@code rediss-sentinel://}),
 * or seed nodes of a Redis Cluster ({@code redis-cluster://}, {@code rediss-cluster://}).
 * A bad URL is refused naming the part that is wrong, the password masked, with an example.
 */
final class RedisUrl {
  enum Kind { SERVER, SENTINEL, CLUSTER }

  static final int DEFAULT_PORT = 6379;
  static final int DEFAULT_SENTINEL_PORT = 26379;
  static final String SERVER_FORM = "redis://[user:password@]host:port[/db]";
  static final String SENTINEL_FORM =
      "redis-sentinel://[user:password@]host:port[,host:port…]/master-name[?db=N]";
  static final String CLUSTER_FORM = "redis-cluster://[user:password@]host:port[,host:port…]";
  private static final Pattern MASTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern NUMBER = Pattern.compile("\\d{1,5}");

  final URI uri;
  final Kind kind;
  final boolean tls;
  /** The server, every sentinel, or the cluster's seed nodes. */
  final List<HostAndPort> hosts;
  /** The master the sentinels watch; null for a server URL. */
  final String masterName;
  final String user;
  final String password;
  final int database;
  /** Replicas an enqueue waits for ({@code ?waitReplicas=N}); 0 waits for none. */
  final int waitReplicas;
  /** How long an enqueue waits for them ({@code ?waitTimeout=100ms}); null when not given. */
  final Duration waitTimeout;

  private RedisUrl(String raw, URI uri, String scheme, String userInfo, List<HostAndPort> hosts,
      String path, Map<String, String> query) {
    this.uri = uri;
    this.kind = scheme.endsWith("-sentinel") ? Kind.SENTINEL
        : scheme.endsWith("-cluster") ? Kind.CLUSTER : Kind.SERVER;
    this.tls = scheme.startsWith("rediss");
    this.hosts = List.copyOf(hosts);
    String[] auth = splitUserInfo(userInfo);
    this.user = auth.length == 2 && !auth[0].isEmpty() ? auth[0] : null;
    this.password = auth.length == 0 ? null : auth[auth.length - 1];
    if (kind == Kind.SENTINEL) {
      this.masterName = masterName(raw, path);
      this.database = number(raw, "db", query.remove("db"), 0);
    } else if (kind == Kind.CLUSTER) {
      this.masterName = null;
      this.database = clusterDatabase(raw, path, query);
    } else {
      this.masterName = null;
      this.database = serverDatabase(raw, path, query);
    }
    this.waitReplicas = number(raw, "waitReplicas", query.remove("waitReplicas"), 0);
    this.waitTimeout = waitTimeout(raw, query.remove("waitTimeout"));
    if (!query.isEmpty()) {
      throw bad(raw, "unknown option '" + query.keySet().iterator().next()
          + "' in the query; known: db (Sentinel URLs), waitReplicas, waitTimeout");
    }
  }

  static RedisUrl parse(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new IllegalArgumentException("the Redis URL is empty; expected " + SERVER_FORM
          + ", " + SENTINEL_FORM + " or " + CLUSTER_FORM);
    }
    String text = raw.trim();
    int sep = text.indexOf("://");
    String scheme = sep < 0 ? "" : text.substring(0, sep);
    if (!List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-cluster",
        "rediss-cluster").contains(scheme)) {
      throw bad(text, "the scheme must be redis://, rediss:// (TLS), redis-sentinel://,"
          + " rediss-sentinel:// (Sentinel, TLS), redis-cluster:// or rediss-cluster://"
          + " (Redis Cluster, TLS)");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw bad(text, e.getReason());
    }
    String rest = text.substring(sep + 3);
    int queryAt = rest.indexOf('?');
    Map<String, String> query = query(text, queryAt < 0 ? "" : rest.substring(queryAt + 1));
    rest = queryAt < 0 ? rest : rest.substring(0, queryAt);
    int pathAt = rest.indexOf('/');
    String authority = pathAt < 0 ? rest : rest.substring(0, pathAt);
    String path = pathAt < 0 ? "" : rest.substring(pathAt);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : decode(text, authority.substring(0, at));
    List<HostAndPort> hosts = hosts(text, authority.substring(at + 1), scheme);
    return new RedisUrl(text, uri, scheme, userInfo, hosts, path, query);
  }

  /** The URL with its password replaced by {@code ***}: the only form that may be printed. */
  static String mask(String raw) {
    String text = raw.trim();
    int sep = text.indexOf("://");
    int end = text.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = text.indexOf(c, sep < 0 ? 0 : sep + 3);
      end = i >= 0 ? Math.min(end, i) : end;
    }
    int at = sep < 0 ? -1 : text.lastIndexOf('@', end - 1);
    if (at <= sep) {
      return text;
    }
    String userInfo = text.substring(sep + 3, at);
    int colon = userInfo.indexOf(':');
    String masked = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return text.substring(0, sep + 3) + masked + text.substring(at);
  }

  String masked() {
    return mask(uri.toString());
  }

  private static List<HostAndPort> hosts(String raw, String list, String scheme) {
    if (list.isEmpty()) {
      throw bad(raw, "it names no host");
    }
    boolean sentinel = scheme.endsWith("-sentinel");
    if (!sentinel && !scheme.endsWith("-cluster") && list.contains(",")) {
      throw bad(raw, "a redis:// URL names one server; for several sentinels use "
          + SENTINEL_FORM + ", for the nodes of a Redis Cluster " + CLUSTER_FORM);
    }
    List<HostAndPort> hosts = new ArrayList<>();
    for (String one : list.split(",", -1)) {
      hosts.add(hostAndPort(raw, one, sentinel ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT));
    }
    return hosts;
  }

  private static HostAndPort hostAndPort(String raw, String text, int defaultPort) {
    boolean bracketed = text.startsWith("[");
    int colon = bracketed ? text.indexOf(':', text.indexOf(']')) : text.lastIndexOf(':');
    String host = colon < 0 ? text : text.substring(0, colon);
    if (bracketed && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // an IPv6 address, as [::1]
    }
    if (host.isEmpty()) {
      throw bad(raw, "host '" + text + "' names no host");
    }
    if (colon < 0) {
      return new HostAndPort(host, defaultPort);
    }
    String port = text.substring(colon + 1);
    if (!NUMBER.matcher(port).matches() || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw bad(raw, "host '" + text + "' has port '" + port + "'; a port is 1 to 65535");
    }
    return new HostAndPort(host, Integer.parseInt(port));
  }

  private static String masterName(String raw, String path) {
    String name = path.startsWith("/") ? path.substring(1) : path;
    if (name.isEmpty()) {
      throw bad(raw, "it names no master: put the master's name (as in the sentinels'"
          + " 'sentinel monitor' line) after the hosts");
    }
    if (!MASTER_NAME.matcher(name).matches()) {
      throw bad(raw, "master name '" + name + "' must be 1 to 100 letters, digits, '.', '_' or"
          + " '-' (choose the database with ?db=N)");
    }
    return name;
  }

  private static int serverDatabase(String raw, String path, Map<String, String> query) {
    if (query.containsKey("db")) {
      throw bad(raw, "a redis:// URL names its database in the path, as /2, not with ?db=");
    }
    if (path.length() <= 1) {
      return 0;
    }
    if (!NUMBER.matcher(path.substring(1)).matches()) {
      throw bad(raw, "the path must be a database number such as /0");
    }
    return Integer.parseInt(path.substring(1));
  }

  /** A cluster has database 0 only. */
  private static int clusterDatabase(String raw, String path, Map<String, String> query) {
    if (query.containsKey("db") || path.length() > 1 && !path.equals("/0")) {
      throw bad(raw, "a Redis Cluster has database 0 only; leave the database out of the URL");
    }
    return 0;
  }

  private static int number(String raw, String name, String value, int absent) {
    if (value == null) {
      return absent;
    }
    if (!NUMBER.matcher(value).matches()) {
      throw bad(raw, name + "=" + value + " must be a whole number of 0 or more, as " + name + "=1");
    }
    return Integer.parseInt(value);
  }

  private static Duration waitTimeout(String raw, String value) {
    if (value == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(value);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // refused below with the URL
    }
    throw bad(raw, "waitTimeout=" + value + " must be a positive duration, as waitTimeout=100ms");
  }

  private static Map<String, String> query(String raw, String text) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw bad(raw, "query part '" + pair + "' must be name=value");
      }
      options.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return options;
  }

  /** Percent-decoding as in URIs (a '+' stays a '+'), so a password may hold '@' or ':'. */
  private static String decode(String raw, String userInfo) {
    String decoded = null;
    try {
      decoded = new URI("redis://" + userInfo + "@h").getUserInfo();
    } catch (URISyntaxException e) {
      // refused below
    }
    if (decoded == null && !userInfo.isEmpty()) {
      throw bad(raw, "the user and password part cannot be read; percent-encode characters"
          + " such as '@' (%40), '/' (%2F) or '#' (%23) in it");
    }
    return decoded;
  }

  private static String[] splitUserInfo(String info) {
    if (info == null || info.isEmpty()) {
      return new String[0];
    }
    int colon = info.indexOf(':');
    return colon < 0 ? new String[] {info}
        : new String[] {info.substring(0, colon), info.substring(colon + 1)};
  }

  private static IllegalArgumentException bad(String raw, String why) {
    String expected = raw.contains("-sentinel://") ? SENTINEL_FORM
        : raw.contains("-cluster://") ? CLUSTER_FORM
        : SERVER_FORM + ", " + SENTINEL_FORM + " or " + CLUSTER_FORM;
    return new IllegalArgumentException(
        "invalid Redis URL " + mask(raw) + ": " + why + "; expected " + expected);
  }

  /** The URL $REDIS_URL gives, else one made of $REDIS_HOST, _PORT, _PASSWORD and _DB. */
  static String fromEnvironment(Map<String, String> env) {
    if (notBlank(env.get("REDIS_URL"))) {
      return env.get("REDIS_URL");
    }
    String host = notBlank(env.get("REDIS_HOST")) ? env.get("REDIS_HOST") : "127.0.0.1";
    String port = notBlank(env.get("REDIS_PORT")) ? env.get("REDIS_PORT") : "6379";
    String password = env.get("REDIS_PASSWORD");
    String auth = notBlank(password) ? ":" + encode(password) + "@" : "";
    String db = notBlank(env.get("REDIS_DB")) ? "/" + env.get("REDIS_DB") : "";
    return "redis://" + auth + host + ":" + port + db;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
