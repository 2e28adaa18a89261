package io.tandem.lock;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/*
 * The ACL of every znode a lock's client creates. The lock's path and everything under it get the
 * configured ACL. Parents created on the way (e.g. /tandem for /tandem/prod) are shared with other
 * locks: their creator may do anything, others may read them and create their own children, but
 * not delete or overwrite anything.
 */
final class ZooKeeperAclProvider implements ACLProvider {

  // ZooDefs.Ids has these too, but as mutable lists.
  private static final Id ANYONE = new Id("world", "anyone");
  private static final ACL WORLD_ALL = new ACL(ZooDefs.Perms.ALL, ANYONE);
  private static final ACL WORLD_READ = new ACL(ZooDefs.Perms.READ, ANYONE);
  private static final ACL WORLD_READ_CREATE =
      new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, ANYONE);
  // "auth" stands for every identity of the creating session.
  private static final ACL CREATOR_ALL = new ACL(ZooDefs.Perms.ALL, new Id("auth", ""));

  private final String path;
  private final List<ACL> own;
  private final List<ACL> parents;

  ZooKeeperAclProvider(String path, ZooKeeperSecurity.Acl acl) {
    this.path = path;
    this.own = own(acl);
    this.parents =
        acl == ZooKeeperSecurity.Acl.OPEN ? acls(WORLD_ALL) : acls(CREATOR_ALL, WORLD_READ_CREATE);
  }

  @Override
  public List<ACL> getDefaultAcl() {
    return parents;
  }

  @Override
  public List<ACL> getAclForPath(String znode) {
    return znode.equals(path) || znode.startsWith(path + "/") ? own : parents;
  }

  private static List<ACL> own(ZooKeeperSecurity.Acl acl) {
    return switch (acl) {
      case OPEN -> acls(WORLD_ALL);
      case CREATOR -> acls(CREATOR_ALL);
      case CREATOR_READ -> acls(CREATOR_ALL, WORLD_READ);
    };
  }

  // ZooKeeper asks the list whether it contains null, which List.of answers with an exception.
  private static List<ACL> acls(ACL... acls) {
    return Collections.unmodifiableList(Arrays.asList(acls));
  }
}
