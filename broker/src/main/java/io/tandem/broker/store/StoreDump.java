package io.tandem.broker.store;

import io.tandem.broker.BrokerException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** Prints every record of a store, one line each, with torn and corrupt ranges in between. */
final class StoreDump {
  private StoreDump() {}

  static void print(Path dir, PrintStream out) {
    for (Journal j : Stores.journals(dir, StoreOptions.DEFAULT_MINIMUM)) {
      try {
        for (Segment s : j.list()) {
          String file = s.key(j.name);
          SegmentScan scan = SegmentScan.of(s, -1);
          out.println("# " + file + " epoch " + s.epoch + ", " + scan.frames.size() + " records");
          for (SegmentScan.Located l : scan.frames) {
            out.println(file + " @" + l.offset() + " " + describe(l.frame()));
          }
          for (SegmentScan.Problem p : scan.problems) {
            out.println(
                file
                    + " @"
                    + p.offset()
                    + " "
                    + (p.tornTail() ? "TORN-TAIL" : "CORRUPT")
                    + " "
                    + p.bytes()
                    + " bytes");
          }
        }
      } catch (IOException e) {
        throw StoreErrors.io("cannot read " + j.dir, e);
      }
    }
  }

  private static String describe(Frame f) {
    String head =
        f.type() + " epoch=" + f.epoch() + " batch=" + f.batch() + "/" + f.batchRecords() + " ";
    Records.Body body;
    try {
      body = Records.decode(f);
    } catch (BrokerException e) {
      return head + "UNREADABLE BODY: " + e.getMessage();
    }
    if (body instanceof Records.AddBody a) {
      return head
          + "id="
          + a.messageId()
          + " queues="
          + a.queueKeys()
          + " bytes="
          + a.data().length
          + (a.producerId() == null ? "" : " producer-id=" + a.producerId());
    } else if (body instanceof Records.RemoveBody r) {
      return head + "id=" + r.messageId() + " queue=" + r.queueKey();
    } else if (body instanceof Records.SubscriptionBody s) {
      return head + s.record();
    } else if (body instanceof Records.DeleteBody d) {
      return head + "key=" + d.key() + " deleted-at=" + d.deletedAt();
    } else if (body instanceof Records.LimitsBody l) {
      return head + "max-id=" + l.maxMessageId() + " limits=" + l.limits();
    } else if (body instanceof Records.CheckpointBody c) {
      return head + "complete-up-to=" + c.completeUpTo() + " aborted=" + c.aborted();
    } else if (body instanceof Records.DuplicatesBody d) {
      return head + "entries=" + d.entries().size();
    }
    return head.strip();
  }
}
