package io.tandem.broker.ems;

import io.tandem.broker.BrokerException;
import io.tandem.broker.config.ConfigLoader;
import io.tandem.broker.security.AccessControl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EMS configuration directory turned into a Tandem one. {@link #convert} maps every line it can
 * and reports the others; {@link Result#write} writes the files and loads them with the broker's
 * own readers, so that what it leaves behind is a configuration a broker starts on: a line the
 * readers still refuse is written commented out, with the reader's reason, and reported too.
 */
public final class EmsImport {
  /** The Tandem file each EMS file key's file becomes. */
  private static final Map<String, String> TARGETS =
      Map.of(
          "queues", "queues.conf",
          "topics", "topics.conf",
          "users", "users.conf",
          "groups", "groups.conf",
          "acl_list", "acl.conf");

  /** The most lines a load may refuse before the import gives up (each pass fixes one). */
  private static final int MAX_REFUSALS = 1000;

  private static final Pattern AT = Pattern.compile("^(.*?):(\\d+): (.*)$", Pattern.DOTALL);

  private EmsImport() {}

  /** The files to write, by name, and what could not be mapped. */
  public static final class Result {
    private final Map<String, Output> files;
    private final List<Unmapped> unmapped;
    private final String password;

    private Result(Map<String, Output> files, List<Unmapped> unmapped, String password) {
      this.files = files;
      this.unmapped = unmapped;
      this.password = password;
    }

    /** Every line not mapped, file by file and line by line. */
    public List<Unmapped> unmapped() {
      // tibemsd.conf first, then the files in the order it named them, each by line
      List<Path> order = new ArrayList<>();
      unmapped.forEach(
          u -> {
            if (!order.contains(u.file())) {
              order.add(u.file());
            }
          });
      List<Unmapped> sorted = new ArrayList<>(unmapped);
      sorted.sort(
          java.util.Comparator.comparingInt((Unmapped u) -> order.indexOf(u.file()))
              .thenComparingInt(Unmapped::line));
      return List.copyOf(sorted);
    }

    /** The names of the files {@link #write} writes. */
    public List<String> fileNames() {
      List<String> names = new ArrayList<>(files.keySet());
      if (password != null) {
        names.add(TibemsdMapping.PASSWORD_FILE);
      }
      return names;
    }

    /**
     * Writes the files into {@code out} (created if missing; none of the files may exist yet) and
     * loads them as a broker would; returns the path of tandem.conf.
     *
     * @throws BrokerException {@code CONFIG} when a file exists or cannot be written
     */
    public Path write(Path out) {
      try {
        Files.createDirectories(out);
        for (String name : fileNames()) {
          if (Files.exists(out.resolve(name))) {
            throw new BrokerException(
                BrokerException.Category.CONFIG,
                out.resolve(name) + ": exists already; import into an empty directory");
          }
        }
        if (password != null) {
          secret(out.resolve(TibemsdMapping.PASSWORD_FILE), password + "\n");
        }
        Path conf = out.resolve("tandem.conf");
        for (int pass = 0; ; pass++) {
          writeAll(out);
          String refusal = refusal(conf);
          if (refusal == null) {
            return conf;
          }
          if (pass == MAX_REFUSALS || !disable(out, refusal)) {
            throw new BrokerException(
                BrokerException.Category.CONFIG,
                "the converted configuration does not load: " + refusal);
          }
        }
      } catch (IOException e) {
        throw new BrokerException(
            BrokerException.Category.CONFIG, out + ": cannot write: " + e.getMessage(), e);
      }
    }

    private void writeAll(Path out) throws IOException {
      for (Output o : files.values()) {
        Path file = out.resolve(o.name());
        if (o.name().equals("users.conf") || o.name().equals("tandem.conf")) {
          secret(file, o.text());
        } else {
          Files.writeString(file, o.text());
        }
      }
    }

    private static void secret(Path file, String text) throws IOException {
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.writeString(file, text);
    }

    /** The reason the broker's readers refuse the written configuration, or null. */
    private static String refusal(Path conf) {
      try {
        AccessControl.load(ConfigLoader.load(conf).security());
        return null;
      } catch (BrokerException e) {
        return e.getMessage();
      }
    }

    /** Comments out the written line {@code refusal} names and reports its EMS line. */
    private boolean disable(Path out, String refusal) {
      Matcher m = AT.matcher(refusal);
      if (!m.matches()) {
        return false;
      }
      Path file = Path.of(m.group(1)).getFileName();
      Output o = file == null ? null : files.get(file.toString());
      int number = Integer.parseInt(m.group(2));
      Output.Entry entry = o == null ? null : o.at(number);
      if (entry == null || entry.origin() == null) {
        return false;
      }
      o.disable(number, "Tandem refuses it: " + m.group(3));
      unmapped.add(entry.origin().unmapped("Tandem refuses what it became: " + m.group(3)));
      return true;
    }
  }

  /**
   * Converts the EMS configuration in {@code emsDir}: its tibemsd.conf and the files that names.
   *
   * @throws BrokerException {@code CONFIG} when the directory or tibemsd.conf cannot be read
   */
  public static Result convert(Path emsDir) {
    // reported as given, so that a report names the files as the operator named the directory
    Path dir = emsDir.normalize();
    Path tibemsd = dir.resolve("tibemsd.conf");
    if (!Files.isDirectory(dir)) {
      throw new BrokerException(BrokerException.Category.CONFIG, dir + ": not a directory");
    }
    if (!Files.isRegularFile(tibemsd) || !Files.isReadable(tibemsd)) {
      throw new BrokerException(
          BrokerException.Category.CONFIG, tibemsd + ": no readable tibemsd.conf in " + dir);
    }
    List<Unmapped> unmapped = new ArrayList<>();
    Output conf =
        new Output("tandem.conf", "converted from " + tibemsd + " by tandem config import-ems");
    TibemsdMapping main = new TibemsdMapping(dir, conf, unmapped);
    main.map(EmsFile.read(tibemsd));
    Map<String, Output> files = new LinkedHashMap<>();
    files.put(conf.name(), conf);
    SecurityMapping security = new SecurityMapping(unmapped);
    // groups before the acl, which may only name converted groups
    for (String key : List.of("queues", "topics", "users", "groups", "acl_list")) {
      EmsFile.Line line = main.files().get(key);
      if (line == null) {
        continue;
      }
      String value = line.text().substring(line.text().indexOf('=') + 1).strip();
      Path source = find(dir, value);
      if (source == null) {
        unmapped.add(
            line.unmapped(
                key + " names '" + value + "', which is not readable (nor in " + dir + ")"));
        conf.comment("tibemsd.conf:" + line.number() + ": not mapped: " + key + " file not found");
        continue;
      }
      Output o = new Output(TARGETS.get(key), "converted from " + source);
      List<EmsFile.Line> lines = EmsFile.read(source);
      switch (key) {
        case "queues", "topics" -> new DestinationMapping(o, unmapped).map(lines);
        case "users" -> security.users(lines, o);
        case "groups" -> security.groups(lines, o);
        default -> security.acl(lines, o);
      }
      files.put(o.name(), o);
      conf.add(key + " = " + o.name(), line);
    }
    return new Result(files, unmapped, main.password());
  }

  /**
   * The file an EMS file key names: the path as given (relative to the EMS directory), else a file
   * of that name in the EMS directory (a configuration copied from another host names paths there).
   */
  private static Path find(Path dir, String value) {
    try {
      Path named = dir.resolve(value);
      if (Files.isRegularFile(named) && Files.isReadable(named)) {
        return named;
      }
      Path base = named.getFileName();
      Path local = base == null ? null : dir.resolve(base);
      return local != null && Files.isRegularFile(local) && Files.isReadable(local) ? local : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }
}
