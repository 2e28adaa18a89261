package io.tandem.process.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandGroupTest {

  @CommandLine.Command(name = "group", subcommands = Hello.class)
  static final class Group extends CommandGroup {}

  @CommandLine.Command(name = "hello")
  static final class Hello implements Runnable {
    static int runs;

    @Override
    public void run() {
      runs++;
    }
  }

  @Test
  void shouldRefuseToRunWithoutASubcommandAsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Group()).setErr(new PrintWriter(err, true));
    assertEquals(2, cli.execute());
    assertTrue(err.toString().startsWith("a subcommand is required"), err.toString());
  }

  @Test
  void shouldRunTheSubcommandItIsGiven() {
    int before = Hello.runs;
    assertEquals(0, new CommandLine(new Group()).execute("hello"));
    assertEquals(before + 1, Hello.runs);
  }

  @Test
  void shouldNameTheBuildDevOutsideAPackagedJar() {
    assertArrayEquals(new String[] {"group dev"}, CommandGroup.version("group", Group.class));
  }
}
