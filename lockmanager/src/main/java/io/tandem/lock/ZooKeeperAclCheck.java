package io.tandem.lock;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Id;

/*
 * Finds the lock's znodes that identities other than this session's may change. Anyone who can
 * write, create, delete or administer them could reset the epoch, forge the holder record or
 * delete a holder's node, and so hand the lock to a second writer.
 *
 * This session's identities come from ZooKeeper's whoami; a digest entry counts as ours when its
 * user matches. A server too old to answer whoami leaves only world:anyone and ip entries to be
 * reported.
 */
final class ZooKeeperAclCheck {

  private static final int CHANGES =
      ZooDefs.Perms.WRITE | ZooDefs.Perms.CREATE | ZooDefs.Perms.DELETE | ZooDefs.Perms.ADMIN;

  private ZooKeeperAclCheck() {}

  // "znode scheme:id:perms" for each entry that lets others change a znode of the lock.
  static List<String> writableByOthers(CuratorFramework client, ZooKeeperLayout layout)
      throws Exception {
    List<ClientInfo> own = whoAmI(client);
    List<String> found = new ArrayList<>();
    for (String znode : List.of(layout.path(), layout.lock(), layout.epoch(), layout.holder())) {
      List<ACL> acls;
      try {
        acls = client.getACL().forPath(znode);
      } catch (KeeperException.NoNodeException e) {
        continue;
      }
      for (ACL acl : acls) {
        if ((acl.getPerms() & CHANGES) != 0 && !isOwn(acl.getId(), own)) {
          found.add(znode + " " + describe(acl));
        }
      }
    }
    return found;
  }

  static String describe(ACL acl) {
    return acl.getId().getScheme() + ":" + acl.getId().getId() + ":" + perms(acl.getPerms());
  }

  private static boolean isOwn(Id id, List<ClientInfo> own) {
    if (own == null) {
      return !id.getScheme().equals("world") && !id.getScheme().equals("ip");
    }
    for (ClientInfo info : own) {
      if (info.getAuthScheme().equals(id.getScheme())
          && !id.getScheme().equals("world")
          && (id.getId().equals(info.getUser())
              || (id.getScheme().equals("digest")
                  && id.getId().startsWith(info.getUser() + ":")))) {
        return true;
      }
    }
    return false;
  }

  // Null when the server cannot say.
  private static List<ClientInfo> whoAmI(CuratorFramework client) {
    try {
      return client.getZookeeperClient().getZooKeeper().whoAmI();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String perms(int perms) {
    StringBuilder out = new StringBuilder();
    append(out, perms, ZooDefs.Perms.CREATE, 'c');
    append(out, perms, ZooDefs.Perms.DELETE, 'd');
    append(out, perms, ZooDefs.Perms.READ, 'r');
    append(out, perms, ZooDefs.Perms.WRITE, 'w');
    append(out, perms, ZooDefs.Perms.ADMIN, 'a');
    return out.toString();
  }

  private static void append(StringBuilder out, int perms, int perm, char letter) {
    if ((perms & perm) != 0) {
      out.append(letter);
    }
  }
}
