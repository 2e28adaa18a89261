package io.tandem.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tandem.testing.DocBlocks;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/fuzzing.md names the targets, times and commands that broker/pom.xml wires. */
class FuzzingDocsTest {
  private static final Path DOC = Path.of("../docs/fuzzing.md");
  private static final Path POM = Path.of("pom.xml");

  /** The doc's table: target name to class. */
  private static Map<String, String> documentedTargets() throws Exception {
    Map<String, String> targets = new LinkedHashMap<>();
    Pattern row = Pattern.compile("\\| ([a-z-]+) \\| `([a-zA-Z.]+)` \\|.*");
    for (String line : Files.readAllLines(DOC)) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        targets.put(m.group(1), m.group(2));
      }
    }
    return targets;
  }

  /** The pom's fuzz executions: execution id to test class. */
  private static Map<String, String> wiredTargets() throws Exception {
    Map<String, String> wired = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("<id>fuzz-([a-z-]+)</id>.*?<test>([a-zA-Z.]+)</test>", Pattern.DOTALL)
            .matcher(Files.readString(POM));
    while (m.find()) {
      if (!m.group(1).equals("check")) {
        wired.put(m.group(1), m.group(2));
      }
    }
    return wired;
  }

  @Test
  void shouldDocumentEveryFuzzExecutionOfTheBuild() throws Exception {
    Map<String, String> wired = wiredTargets();
    assertEquals(5, wired.size(), wired::toString);
    assertEquals(wired, documentedTargets());
    String pom = Files.readString(POM);
    assertTrue(pom.contains("<JAZZER_FUZZ>1</JAZZER_FUZZ>"));
    assertTrue(pom.contains("<skip>${fuzz.skip}</skip>"));
    assertTrue(pom.contains("<name>!it.test</name>"));
    assertTrue(pom.contains("<test>io.tandem.broker.FuzzRunsCheck</test>"));
  }

  @Test
  void shouldFuzzEachTargetForTheDocumentedTimeFromItsSeeds() throws Exception {
    for (String name : wiredTargets().values()) {
      Class<?> target = Class.forName(name);
      List<Method> fuzzTests = new ArrayList<>();
      for (Method m : target.getDeclaredMethods()) {
        if (m.isAnnotationPresent(FuzzTest.class)) {
          fuzzTests.add(m);
        }
      }
      assertEquals(1, fuzzTests.size(), name + " has one @FuzzTest, the one a JVM fuzzes");
      Method m = fuzzTests.get(0);
      String expected = name.endsWith("SelectorFuzzTest") ? "10s" : "15s";
      assertEquals(expected, m.getAnnotation(FuzzTest.class).maxDuration(), name);
      Path seeds =
          Path.of("src/test/resources", target.getPackageName().replace('.', '/'))
              .resolve(target.getSimpleName() + "Inputs")
              .resolve(m.getName());
      assertTrue(Files.isDirectory(seeds), seeds + " holds the seeds");
    }
    String doc = Files.readString(DOC);
    assertTrue(doc.contains("15 s (10 s for the selector)"));
  }

  @Test
  void shouldGiveCommandsThatUseTheBuildsSwitches() throws Exception {
    List<String> commands = DocBlocks.read(DOC, "sh");
    assertEquals(3, commands.size(), commands::toString);
    assertEquals("mvn -B verify -Dfuzz.skip=true\n", commands.get(0));
    List<String> all = Arrays.asList(commands.get(1).strip().split(" "));
    assertTrue(all.containsAll(List.of("verify", "-DskipITs", "-Dtest=none")), all::toString);
    assertTrue(all.contains("-Djazzer.max_duration=10m"), all::toString);
    String one = commands.get(2).strip();
    assertTrue(one.startsWith("JAZZER_FUZZ=1 mvn -B -pl broker -am test -Dtest="), one);
    Matcher m = Pattern.compile("-Dtest=([A-Za-z]+) ").matcher(one);
    assertTrue(m.find(), one);
    String chosen = m.group(1);
    assertTrue(
        wiredTargets().values().stream().anyMatch(c -> c.endsWith("." + chosen)),
        chosen + " is a target");
    assertTrue(one.contains("-Djazzer.max_duration="), one);
  }
}
