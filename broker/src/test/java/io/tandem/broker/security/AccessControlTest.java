package io.tandem.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessControlTest {
  private static final String ALICE =
      StoredPassword.derive("alice-pw".toCharArray(), 4096, new SecureRandom()).encode();
  private static final String BOB =
      StoredPassword.derive("bob-pw".toCharArray(), 4096, new SecureRandom()).encode();

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private void assertRefused(String expected, Runnable load) {
    BrokerException e = assertThrows(BrokerException.class, load::run);
    assertEquals(BrokerException.Category.CONFIG, e.category());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void shouldReadStoredPasswordsAndDescriptions() throws IOException {
    Path f =
        write(
            "users.conf",
            "# users\nalice:"
                + ALICE
                + ":\"Order entry # desk\"\n  bob:"
                + BOB
                + "   # the batch job\n");
    Users users = Users.load(f, true);
    assertEquals(Set.of("alice", "bob"), users.names());
    assertEquals("Order entry # desk", users.description("alice"));
    assertTrue(users.verify("alice", "alice-pw".toCharArray()));
    assertFalse(users.verify("alice", "bob-pw".toCharArray()));
    assertFalse(users.verify("carol", "alice-pw".toCharArray()));
    assertTrue(users.scram("bob").matches("bob-pw".toCharArray()));
  }

  @Test
  void shouldNameFileAndLineForEveryBadUsersEntry() throws IOException {
    assertRefused(
        "users.conf:2: the password of user 'bob' contains '#'",
        () -> Users.load(path("users.conf", "alice:" + ALICE + "\nbob:pass#word\n"), false));
    assertRefused(
        "users.conf:3: user 'alice' is listed twice (first on line 1)",
        () -> Users.load(path("users.conf", "alice:" + ALICE + "\n\nalice:" + BOB + "\n"), true));
    assertRefused(
        "users.conf:1: expected 'name:password'",
        () -> Users.load(path("users.conf", "alice\n"), false));
    assertRefused(
        "users.conf:1: user 'alice' has an empty password",
        () -> Users.load(path("users.conf", "alice:\n"), false));
    assertRefused(
        "users.conf:1: user 'alice' has a plaintext password, which authorization = enabled refuses",
        () -> Users.load(path("users.conf", "alice:secret\n"), true));
    assertRefused(
        "an unsalted {sha256} password",
        () -> Users.load(path("users.conf", "alice:{sha256}" + "ab".repeat(32) + "\n"), true));
    assertRefused(
        "users.conf:1: the stored password of user 'alice' is malformed",
        () -> Users.load(path("users.conf", "alice:{scram}4096$AA\n"), true));
    assertRefused(
        "users.conf:1: a description must be written in double quotes",
        () -> Users.load(path("users.conf", "alice:" + ALICE + ":desk\n"), true));
  }

  @Test
  void shouldStillReadPlaintextAndSha256WhenAuthorizationIsDisabled() throws Exception {
    Users users =
        Users.load(
            path(
                "users.conf",
                "alice:secret\nbob:{sha256}"
                    + java.util.HexFormat.of()
                        .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256")
                                .digest("pw".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    + "\n"),
            false);
    assertTrue(users.verify("alice", "secret".toCharArray()));
    assertTrue(users.scram("alice").matches("secret".toCharArray()), "SCRAM works for it too");
    assertTrue(users.verify("bob", "pw".toCharArray()));
  }

  @Test
  void shouldReadGroupsInTheEmsLayout() throws IOException {
    Groups g =
        Groups.load(path("groups.conf", "> desks:\"Order desks\"\nalice\nbob\n> $admin\nbob\n"));
    assertEquals(Set.of("alice", "bob"), g.members("desks"));
    assertEquals(Set.of("desks", "$admin"), g.of("bob"));
    assertRefused(
        "groups.conf:1: member 'alice' comes before any '> group' line",
        () -> Groups.load(path("groups.conf", "alice\n")));
    assertRefused(
        "groups.conf:3: group 'a' is defined twice (first on line 1)",
        () -> Groups.load(path("groups.conf", "> a\nx\n> a\n")));
    assertRefused(
        "groups.conf:3: user 'x' is listed twice in group 'a'",
        () -> Groups.load(path("groups.conf", "> a\nx\nx\n")));
  }

  @Test
  void shouldGrantTheUnionOfAUsersAndItsGroupsPermissionsOnSecureDestinations() throws IOException {
    AccessControl ac =
        control(
            "USER=alice QUEUE=orders.> PERM=send\n"
                + "GROUP=desks QUEUE=orders.eu PERM = receive, browse\n"
                + "GROUP=desks TOPIC=prices.* PERM=subscribe,durable\n"
                + "user=bob admin perm=view,purge\n");
    assertTrue(ac.permits("alice", Permission.SEND, "orders.eu", true));
    assertTrue(ac.permits("alice", Permission.RECEIVE, "orders.eu", true), "from the group");
    assertFalse(ac.permits("alice", Permission.RECEIVE, "orders.us", true));
    assertFalse(ac.permits("bob", Permission.SEND, "orders.eu", true));
    assertTrue(
        ac.permits("bob", Permission.SEND, "orders.eu", false),
        "a destination that is not secure is open");
    assertFalse(ac.permits(null, Permission.SEND, "orders.eu", true));
    assertTrue(ac.permits("alice", Permission.SUBSCRIBE, "prices.eur", true));
    assertFalse(ac.permits("alice", Permission.SUBSCRIBE, "prices.eur.usd", true));
    assertFalse(
        ac.permits("alice", Permission.SUBSCRIBE, "prices.>", true),
        "a wider wildcard than granted");
    assertTrue(ac.permits("alice", Permission.SUBSCRIBE, "prices.*", true));
    assertFalse(ac.permits("alice", Permission.USE_DURABLE, "prices.eur", true));
    assertTrue(ac.permitsAdmin("bob", Permission.PURGE));
    assertFalse(ac.permitsAdmin("bob", Permission.SHUTDOWN));
    assertFalse(ac.permitsAdmin("alice", Permission.VIEW));
    assertTrue(ac.permitsAdmin("root", Permission.SHUTDOWN), "$admin holds every admin permission");
  }

  @Test
  void shouldGrantEveryAdminPermissionForAll() throws IOException {
    AccessControl ac = control("USER=alice ADMIN PERM=all\n");
    for (Permission p : Permission.values()) {
      if (p.scope() == Permission.Scope.ADMIN) {
        assertTrue(ac.permitsAdmin("alice", p), p.toString());
      }
    }
  }

  @Test
  void shouldAllowEverythingWhenAuthorizationIsDisabled() throws IOException {
    AccessControl ac =
        AccessControl.load(false, null, null, path("acl.conf", "USER=alice QUEUE=x PERM=send\n"));
    assertTrue(ac.permits("bob", Permission.RECEIVE, "x", true));
    assertTrue(AccessControl.open().permits(null, Permission.SEND, "x", true));
    assertFalse(AccessControl.open().permitsAdmin("bob", Permission.VIEW));
  }

  @Test
  void shouldNameFileAndLineForEveryBadAclLine() {
    String[][] cases = {
      {"QUEUE=x PERM=send", "acl.conf:1: a line must name USER= or GROUP="},
      {"USER=alice PERM=send", "acl.conf:1: a line must name QUEUE=, TOPIC= or ADMIN"},
      {"USER=alice QUEUE=x", "acl.conf:1: a line must grant PERM=..."},
      {
        "USER=alice QUEUE=x PERM=publish",
        "'publish' is not a queue permission (allowed: send, receive, browse)"
      },
      {"USER=alice TOPIC=x PERM=send", "'send' is not a topic permission"},
      {"USER=alice ADMIN PERM=send", "'send' is not a admin permission"},
      {"USER=alice QUEUE=a.>.b PERM=send", "'>' may only be the last element"},
      {"GROUP=ghosts QUEUE=x PERM=send", "group 'ghosts' is not defined in the groups file"},
      {"USER=alice GROUP=desks QUEUE=x PERM=send", "one USER= or one GROUP="},
      {"USER=alice QUEUE=x TOPIC=y PERM=send", "one of QUEUE=, TOPIC= or ADMIN"},
      {"USER=alice QUEUE=x PERM=send SELECTOR=1", "unknown word 'SELECTOR=1'"},
      {"USER=alice ADMIN=x PERM=view", "ADMIN takes no '='"},
    };
    for (String[] c : cases) {
      assertRefused(c[1], () -> uncheckedControl(c[0] + "\n"));
    }
  }

  private AccessControl control(String acl) throws IOException {
    Path users = write("users.conf", "alice:" + ALICE + "\nbob:" + BOB + "\n");
    Path groups = write("groups.conf", "> desks\nalice\n> $admin\nroot\n");
    return AccessControl.load(true, users, groups, write("acl.conf", acl));
  }

  private AccessControl uncheckedControl(String acl) {
    try {
      return control(acl);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path path(String name, String text) {
    try {
      return write(name, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
