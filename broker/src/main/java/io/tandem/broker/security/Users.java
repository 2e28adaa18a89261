package io.tandem.broker.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The users file: {@code name:stored-password[:"description"]} lines, as EMS's users.conf. The
 * stored form is the one {@code bin/tandem passwd} prints ({@link StoredPassword}). With {@code
 * authorization = disabled} a plaintext password, or the unsalted {@code {sha256}HEX} form of
 * earlier versions, is still read, with a warning; with authorization enabled both are refused.
 */
public final class Users {
  private static final Logger LOG = Logger.getLogger(Users.class.getName());
  private static final String SHA256 = "{sha256}";

  /** One user's entry; exactly one of {@code scram} and {@code sha256} is set. */
  private record Entry(StoredPassword scram, byte[] sha256, String description) {}

  private final Path file;
  private final Map<String, Entry> entries;

  /**
   * Checked for unknown users so that a wrong name costs what a wrong password costs: derived when
   * the file is read (not at the first unknown name, which would then cost more) with the iteration
   * count most of the file's users have.
   */
  private final StoredPassword decoy;

  private Users(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
    this.decoy =
        file == null
            ? null
            : StoredPassword.derive("decoy".toCharArray(), usualIterations(), new SecureRandom());
  }

  /** No users file: nobody is known. */
  public static Users none() {
    return new Users(null, Map.of());
  }

  /** The iteration count most users have ({@link StoredPassword#DEFAULT_ITERATIONS} if none). */
  private int usualIterations() {
    Map<Integer, Integer> counts = new java.util.HashMap<>();
    for (Entry e : entries.values()) {
      if (e.scram() != null) {
        counts.merge(e.scram().iterations(), 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .max(
            Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .orElse(StoredPassword.DEFAULT_ITERATIONS);
  }

  /**
   * The iteration count a SCRAM exchange announces for an unknown user: the one most known users
   * have, so that the announcement does not tell which names exist.
   */
  public int decoyIterations() {
    return decoy == null ? StoredPassword.DEFAULT_ITERATIONS : decoy.iterations();
  }

  /**
   * Reads {@code file}; errors name file and line.
   *
   * @param storedOnly whether only the salted stored form is accepted ({@code authorization =
   *     enabled})
   */
  public static Users load(Path file, boolean storedOnly) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new LinkedHashMap<>();
    for (SecurityFiles.Line line : SecurityFiles.read(file)) {
      String text = line.text();
      int colon = text.indexOf(':');
      if (colon < 0) {
        throw line.error("expected 'name:password' (the form bin/tandem passwd prints)");
      }
      String name = text.substring(0, colon).strip();
      String rest = text.substring(colon + 1);
      int second = rest.indexOf(':');
      String password = (second < 0 ? rest : rest.substring(0, second)).strip();
      String description = second < 0 ? "" : description(line, rest.substring(second + 1).strip());
      String problem = SecurityFiles.nameProblem("user", name);
      if (problem != null) {
        throw line.error(problem);
      }
      if (password.indexOf('#') >= 0) {
        throw line.error(
            "the password of user '"
                + name
                + "' contains '#', which this file reads as a comment; store it as the form"
                + " bin/tandem passwd prints");
      }
      if (password.isEmpty()) {
        throw line.error("user '" + name + "' has an empty password");
      }
      Integer earlier = firstLine.putIfAbsent(name, line.number());
      if (earlier != null) {
        throw line.error("user '" + name + "' is listed twice (first on line " + earlier + ")");
      }
      entries.put(name, entry(line, name, password, description, storedOnly));
    }
    return new Users(file.toAbsolutePath().normalize(), Map.copyOf(entries));
  }

  private static Entry entry(
      SecurityFiles.Line line,
      String name,
      String password,
      String description,
      boolean storedOnly) {
    if (password.startsWith(StoredPassword.PREFIX)) {
      try {
        return new Entry(StoredPassword.parse(password), null, description);
      } catch (IllegalArgumentException e) {
        throw line.error(
            "the stored password of user '" + name + "' is malformed: " + e.getMessage());
      }
    }
    String kind =
        password.startsWith(SHA256) ? "an unsalted {sha256} password" : "a plaintext password";
    if (storedOnly) {
      throw line.error(
          "user '"
              + name
              + "' has "
              + kind
              + ", which authorization = enabled refuses; replace it with the form bin/tandem"
              + " passwd prints");
    }
    LOG.warning(
        line.file()
            + ":"
            + line.number()
            + ": user '"
            + name
            + "' has "
            + kind
            + "; replace it with the form bin/tandem passwd prints");
    if (password.startsWith(SHA256)) {
      String hex = password.substring(SHA256.length()).toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw line.error("the {sha256} password of user '" + name + "' is not 64 hex digits");
      }
      return new Entry(null, HexFormat.of().parseHex(hex), description);
    }
    // the fewest iterations: these are derived at every start, and the file holds the password
    StoredPassword derived =
        StoredPassword.derive(
            password.toCharArray(), StoredPassword.MIN_ITERATIONS, new SecureRandom());
    return new Entry(derived, null, description);
  }

  private static String description(SecurityFiles.Line line, String text) {
    if (text.isEmpty()) {
      return "";
    }
    if (text.length() < 2 || !text.startsWith("\"") || !text.endsWith("\"")) {
      throw line.error("a description must be written in double quotes, like \"Order entry\"");
    }
    return text.substring(1, text.length() - 1);
  }

  /** Whether a users file is configured. */
  public boolean configured() {
    return file != null;
  }

  /** The users file, or {@code null}. */
  public Path file() {
    return file;
  }

  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  public Set<String> names() {
    return entries.keySet();
  }

  /** The user's description, or an empty string. */
  public String description(String name) {
    Entry e = entries.get(name);
    return e == null ? "" : e.description();
  }

  /**
   * Whether {@code password} is {@code name}'s. An unknown name costs one key derivation, as a
   * known one does, so a client cannot tell from the time which names exist.
   */
  public boolean verify(String name, char[] password) {
    Entry e = name == null ? null : entries.get(name);
    if (e == null) {
      if (decoy != null) {
        decoy.matches(password);
      }
      return false;
    }
    if (e.scram() != null) {
      return e.scram().matches(password);
    }
    return MessageDigest.isEqual(e.sha256(), sha256(password));
  }

  /** The user's SCRAM credential, or {@code null} when unknown or only held as {@code {sha256}}. */
  public StoredPassword scram(String name) {
    Entry e = name == null ? null : entries.get(name);
    return e == null ? null : e.scram();
  }

  private static byte[] sha256(char[] password) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(new String(password).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
