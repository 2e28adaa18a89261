package io.tandem.broker.cli;

import io.tandem.broker.security.StoredPassword;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tandem passwd}: reads a password from standard input and prints the salted form the users
 * file keeps. On a terminal the password is read twice without echo; otherwise the first line of
 * standard input is the password (its line end is not part of it).
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a password from standard input and prints its stored form for the users file"
          + " (SCRAM-SHA-256 and SCRAM-SHA-512 keys under a random salt).",
      "On a terminal the password is asked for twice and not echoed; otherwise the first line of"
          + " standard input is read."
    })
public final class PasswdCommand implements Callable<Integer> {
  /** Longest password line read from a pipe: far more than any password, never unbounded. */
  private static final int MAX_LINE = 4096;

  @Spec CommandSpec spec;

  @Option(
      names = "--iterations",
      paramLabel = "N",
      description =
          "PBKDF2 iterations, "
              + StoredPassword.MIN_ITERATIONS
              + " to "
              + StoredPassword.MAX_ITERATIONS
              + " (default: ${DEFAULT-VALUE}); each SASL PLAIN login costs the broker as many")
  int iterations = StoredPassword.DEFAULT_ITERATIONS;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "print a whole users-file line, NAME:stored-form, instead of the stored form")
  String user;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (iterations < StoredPassword.MIN_ITERATIONS || iterations > StoredPassword.MAX_ITERATIONS) {
      err.println(
          "tandem passwd: --iterations must be between "
              + StoredPassword.MIN_ITERATIONS
              + " and "
              + StoredPassword.MAX_ITERATIONS);
      return ExitCodes.CONFIG;
    }
    if (user != null && (user.isEmpty() || !user.matches("[^\\s:#\"\\p{Cntrl}]{1,255}"))) {
      err.println(
          "tandem passwd: --user must be 1-255 characters without white space, ':', '#' or '\"'");
      return ExitCodes.CONFIG;
    }
    char[] password = null;
    try {
      password = read(err);
      if (password == null) {
        return ExitCodes.CONFIG;
      }
      String stored = StoredPassword.derive(password, iterations, new SecureRandom()).encode();
      out.println(user == null ? stored : user + ":" + stored);
      out.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("tandem passwd: cannot read standard input: " + e.getMessage());
      return ExitCodes.FAILURE;
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  /** The password, or {@code null} after telling why there is none. */
  private static char[] read(PrintWriter err) throws IOException {
    Console console = System.console();
    char[] password;
    if (console != null) {
      password = console.readPassword("Password: ");
      char[] again = console.readPassword("Password again: ");
      boolean same = password != null && Arrays.equals(password, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        err.println("tandem passwd: the two passwords differ");
        return null;
      }
    } else {
      password = firstLine(System.in);
    }
    if (password == null || password.length == 0) {
      err.println("tandem passwd: the password is empty");
      return null;
    }
    return password;
  }

  private static char[] firstLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (line.size() >= MAX_LINE) {
        throw new IOException("the first line is longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    byte[] bytes = line.toByteArray();
    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, n));
    char[] password = new char[chars.remaining()];
    chars.get(password);
    Arrays.fill(chars.array(), '\0');
    Arrays.fill(bytes, (byte) 0);
    return password;
  }
}
