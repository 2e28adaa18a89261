#!/usr/bin/python3
"""A passthrough FUSE file system for fault tests of the store.

    faultfs.py BACKING MOUNTPOINT --control SOCKET [--log FILE]
    faultfs.py ctl SOCKET COMMAND...      (sends one command, prints the answer)

Mounts BACKING at MOUNTPOINT (foreground; unmount with `fusermount3 -u MOUNTPOINT`) and takes
commands, one line each, on the Unix socket SOCKET (which must be outside the mount, so the
program under test cannot touch it). Every command is answered with one line, `ok ...` or
`error ...`:

    ping                      ok
    hang                      every operation from now on blocks until `release`
    release                   the blocked operations go on; new ones run at once
    fail OPS ERRNO [COUNT]    OPS (comma-separated: write, fsync (both fsync and fdatasync),
                              fdatasync (only fdatasync), fsyncdir, flush (close),
                              create, open, read, truncate, rename, unlink, mkdir, ...) fail with
                              ERRNO (EIO, ENOSPC, ...) COUNT times, or until `clear` without COUNT
    full on|off               a write that would make a file longer fails with ENOSPC (writes
                              inside the file's present length still succeed, as on a full disk
                              with preallocated files)
    clear                     no more failures and not full (a hang or a cut stays)
    cut                       power cut: every write not yet made durable by a successful fsync
                              or fdatasync of its file is dropped, and every later operation
                              fails with EIO; kill the writer and unmount next
    cutafter OP N             cut right after the next N calls of OP succeeded (e.g. `cutafter
                              write 1`: the write succeeds, its data is gone, its fsync fails)
    stats                     ok hung=N cut=0|1 dropped=N ops.OP=N ... errors.OP=N ...
                              (hung: operations blocked now; dropped: unsynced 64 KB pages the
                              cut threw away; ops.OP: calls of OP that succeeded,
                              errors.OP: calls that failed; fdatasync is also counted in fsync)

Durability model (that of LazyFS): file data and length changes live in a per-file overlay in
this process's memory and reach BACKING only when that file is fsynced or fdatasynced. Name
operations (create, mkdir, rename, unlink, chmod) go straight to BACKING, as on a file system
that journals metadata synchronously; fsync of a directory is therefore a counted no-op. A
failed fsync drops the file's dirty pages (later reads see what BACKING holds, as after a
writeback error that dropped the page cache), so a program that retries the fsync and then
trusts it loses data here as it can on a real disk. BACKING itself is not fsynced: a simulated
cut never loses the real page cache, so what was written to BACKING is what "the disk" kept.
A plain unmount writes the remaining overlay back (the page cache survives a process crash);
a cut never does.

Locks (POSIX, OFD, flock) are not implemented here on purpose: the kernel then keeps them on
the FUSE inode itself, which is exact for the single host the tests run on.

Uses python3-fusepy (Debian), which drives libfuse2; run it as root.
"""

import argparse
import errno
import logging
import os
import socket
import sys
import threading
import time

import fusepy

PAGE = 64 * 1024
LOG = logging.getLogger("faultfs")


class Overlay:
    """The writes to one file (inode) not yet made durable."""

    def __init__(self, fd):
        self.fd = os.dup(fd)  # kept while the overlay exists, to write it back at unmount
        self.ino = os.fstat(fd).st_ino
        self.refs = 0  # open handles
        self.pages = {}  # page index -> bytearray(PAGE): current content, overrides backing
        self.dirty = set()  # pages to write to backing on the next successful sync
        self.size = None  # logical length if it differs from backing's, else None
        self.floor = None  # smallest length truncated to since the last sync: bytes of
        # backing at or past it are gone (read as zeros)

    def clean(self):
        return not self.pages and self.size is None and self.floor is None

    def drop(self):
        self.pages.clear()
        self.dirty.clear()
        self.size = None
        self.floor = None


class FaultFs:
    """The fusepy operations; every one goes through enter() for faults, hangs and counts."""

    flag_nullpath_ok = 1
    flag_nopath = 0
    use_ns = True

    def __init__(self, backing):
        self.backing = os.path.realpath(backing)
        self.data_lock = threading.RLock()
        self.gate = threading.Condition()
        self.hanging = False
        self.hung = 0
        self.cut = False
        self.dropped = 0  # unsynced pages a cut dropped
        self.cut_after = None  # [op, remaining]: cut right after that many more calls succeed
        self.full = False
        self.faults = {}  # op -> [errno, remaining or None]
        self.ops = {}
        self.errors = {}
        self.overlays = {}  # inode -> Overlay
        self.handles = {}  # fh -> (fd, Overlay)

    # -- plumbing ------------------------------------------------------------------------

    def __call__(self, op, *args):
        if not hasattr(self, op):
            raise fusepy.FuseOSError(errno.ENOSYS)
        try:
            self.enter(op)
            # One operation at a time on the data: a cut or a sync is never half done.
            with self.data_lock:
                if self.cut and op not in ("release", "releasedir", "destroy"):
                    raise fusepy.FuseOSError(errno.EIO)
                result = getattr(self, op)(*args)
                self.maybe_cut(op)
        except OSError as e:
            self.count(self.errors, op)
            if op not in ("getattr", "access"):
                LOG.debug("%s%s -> %s", op, args[:1], errno.errorcode.get(e.errno, e.errno))
            raise
        self.count(self.ops, op)
        return result

    def count(self, table, op):
        with self.gate:
            table[op] = table.get(op, 0) + 1

    def enter(self, op):
        with self.gate:
            if self.hanging and op != "destroy":
                self.hung += 1
                LOG.info("hanging %s", op)
                while self.hanging:
                    self.gate.wait()
                self.hung -= 1
            if self.cut and op not in ("release", "releasedir", "destroy"):
                raise fusepy.FuseOSError(errno.EIO)
            self.check_fault(op)

    def maybe_cut(self, op):
        armed = self.cut_after
        if armed is not None and armed[0] == op:
            armed[1] -= 1
            if armed[1] <= 0:
                self.cut_after = None
                LOG.info("cutting power right after a %s", op)
                self.power_cut()

    def check_fault(self, op):
        fault = self.faults.get(op)
        if fault is None:
            return
        code, remaining = fault
        if remaining is not None:
            if remaining <= 1:
                del self.faults[op]
            else:
                fault[1] = remaining - 1
        LOG.info("failing %s with %s", op, errno.errorcode[code])
        raise fusepy.FuseOSError(code)

    def real(self, path):
        return os.path.join(self.backing, path.lstrip("/"))

    def overlay(self, fd, fresh=False):
        ino = os.fstat(fd).st_ino
        o = self.overlays.get(ino)
        if fresh and o is not None:
            self.forget(ino)
            o = None
        if o is None:
            o = self.overlays[ino] = Overlay(fd)
        return o

    def forget(self, ino):
        o = self.overlays.pop(ino)
        if o.refs == 0:
            os.close(o.fd)

    def forget_if_last_link(self, real):
        try:
            st = os.lstat(real)
        except FileNotFoundError:
            return
        if st.st_nlink <= 1 and st.st_ino in self.overlays:
            self.forget(st.st_ino)

    # -- metadata ------------------------------------------------------------------------

    def getattr(self, path, fh=None):
        with self.data_lock:
            if fh is not None and fh in self.handles:
                fd, o = self.handles[fh]
                st = os.fstat(fd)
            else:
                st = os.lstat(self.real(path))
                o = self.overlays.get(st.st_ino)
            attrs = {
                k: getattr(st, k)
                for k in ("st_mode", "st_nlink", "st_uid", "st_gid", "st_size", "st_ino")
            }
            for k in ("st_atime", "st_mtime", "st_ctime"):
                attrs[k] = getattr(st, k + "_ns")
            if o is not None and o.size is not None:
                attrs["st_size"] = o.size
            return attrs

    def readdir(self, path, fh):
        return [".", ".."] + os.listdir(self.real(path))

    def readlink(self, path):
        return os.readlink(self.real(path))

    def mkdir(self, path, mode):
        os.mkdir(self.real(path), mode)

    def rmdir(self, path):
        os.rmdir(self.real(path))

    def unlink(self, path):
        with self.data_lock:
            real = self.real(path)
            self.forget_if_last_link(real)
            os.unlink(real)

    def rename(self, old, new):
        with self.data_lock:
            target = self.real(new)
            self.forget_if_last_link(target)
            os.rename(self.real(old), target)

    def link(self, target, source):
        os.link(self.real(source), self.real(target))

    def symlink(self, target, source):
        os.symlink(source, self.real(target))

    def chmod(self, path, mode):
        os.chmod(self.real(path), mode)

    def chown(self, path, uid, gid):
        os.chown(self.real(path), uid, gid)

    def utimens(self, path, times=None):
        os.utime(self.real(path), ns=times)

    def statfs(self, path):
        st = os.statvfs(self.real(path))
        return {
            k: getattr(st, k)
            for k in (
                "f_bavail",
                "f_bfree",
                "f_blocks",
                "f_bsize",
                "f_favail",
                "f_ffree",
                "f_files",
                "f_flag",
                "f_frsize",
                "f_namemax",
            )
        }

    def fsyncdir(self, path, datasync, fh):
        return 0

    # -- files ---------------------------------------------------------------------------

    def open(self, path, flags):
        return self.track(os.open(self.real(path), os.O_RDWR), fresh=False)

    def create(self, path, mode, fi=None):
        real = self.real(path)
        with self.data_lock:
            fd = os.open(real, os.O_RDWR | os.O_CREAT | os.O_EXCL, mode)
            return self.track(fd, fresh=True)

    def track(self, fd, fresh):
        with self.data_lock:
            o = self.overlay(fd, fresh)
            o.refs += 1
            self.handles[fd] = (fd, o)
            return fd

    def release(self, path, fh):
        with self.data_lock:
            _, o = self.handles.pop(fh)
            os.close(fh)
            o.refs -= 1
            if o.refs == 0:
                if self.overlays.get(o.ino) is not o:
                    os.close(o.fd)  # unlinked or replaced while open
                elif o.clean():
                    self.forget(o.ino)

    def flush(self, path, fh):
        return 0

    def read(self, path, size, offset, fh):
        with self.data_lock:
            fd, o = self.handles[fh]
            length = o.size if o.size is not None else os.fstat(fd).st_size
            end = min(offset + size, length)
            out = bytearray()
            at = offset
            while at < end:
                index, skip = divmod(at, PAGE)
                take = min(PAGE - skip, end - at)
                page = o.pages.get(index)
                if page is None:
                    page = self.backing_page(fd, o, index)
                out += page[skip : skip + take]
                at += take
            return bytes(out)

    def backing_page(self, fd, o, index):
        """A page as backing holds it, with what a pending truncate removed read as zeros."""
        start = index * PAGE
        data = bytearray(os.pread(fd, PAGE, start))
        if o.floor is not None and o.floor < start + len(data):
            keep = max(0, o.floor - start)
            data[keep:] = bytes(len(data) - keep)
        data += bytes(PAGE - len(data))
        return data

    def write(self, path, data, offset, fh):
        with self.data_lock:
            fd, o = self.handles[fh]
            length = o.size if o.size is not None else os.fstat(fd).st_size
            end = offset + len(data)
            if self.full and end > length:
                LOG.info("full: write of %d bytes at %d past %d", len(data), offset, length)
                raise fusepy.FuseOSError(errno.ENOSPC)
            at = offset
            while at < end:
                index, skip = divmod(at, PAGE)
                take = min(PAGE - skip, end - at)
                page = o.pages.get(index)
                if page is None:
                    page = o.pages[index] = self.backing_page(fd, o, index)
                page[skip : skip + take] = data[at - offset : at - offset + take]
                o.dirty.add(index)
                at += take
            if end > length:
                o.size = end
            return len(data)

    def truncate(self, path, length, fh=None):
        with self.data_lock:
            if fh is not None and fh in self.handles:
                fd, o = self.handles[fh]
                self.truncate_overlay(fd, o, length)
            else:
                fd = os.open(self.real(path), os.O_RDWR)
                try:
                    self.truncate_overlay(fd, self.overlay(fd), length)
                finally:
                    os.close(fd)

    def truncate_overlay(self, fd, o, length):
        current = o.size if o.size is not None else os.fstat(fd).st_size
        if length < current:
            o.floor = length if o.floor is None else min(o.floor, length)
            for index in [i for i in o.pages if i * PAGE >= length]:
                del o.pages[index]
                o.dirty.discard(index)
            index, skip = divmod(length, PAGE)
            if index in o.pages:
                page = o.pages[index]
                page[skip:] = bytes(PAGE - skip)
        o.size = length

    def fsync(self, path, datasync, fh):
        with self.data_lock:
            if datasync:
                self.check_fault_locked("fdatasync")
            fd, o = self.handles[fh]
            self.sync(fd, o, datasync)
            if datasync:
                self.count(self.ops, "fdatasync")

    def check_fault_locked(self, op):
        with self.gate:
            self.check_fault(op)

    def sync(self, fd, o, datasync):
        # Writing to BACKING is what makes data durable here: a simulated cut never loses the
        # real page cache, so BACKING itself is not fsynced (which would only make tests slow).
        try:
            self.write_back(fd, o)
        except OSError:
            LOG.exception("sync to backing failed")
            raise
        o.size = None
        o.floor = None

    def write_back(self, fd, o):
        """Writes the dirty pages and the pending length to backing (not flushed)."""
        size = o.size if o.size is not None else os.fstat(fd).st_size
        if o.floor is not None:
            os.ftruncate(fd, o.floor)
        for index in sorted(o.dirty):
            start = index * PAGE
            if start < size:
                os.pwrite(fd, bytes(o.pages[index][: min(PAGE, size - start)]), start)
            del o.pages[index]
        o.dirty.clear()
        os.ftruncate(fd, size)

    def lose_pending(self, fh):
        """After a failed fsync the dirty pages are gone: reads see what backing holds, and a
        later write to such a page does not bring the lost bytes back."""
        with self.data_lock:
            _, o = self.handles[fh]
            for index in o.dirty:
                del o.pages[index]
            o.dirty.clear()

    def destroy(self, path):
        with self.data_lock:
            if self.cut:
                return
            pending = [o for o in self.overlays.values() if o.dirty or not o.clean()]
            for o in pending:
                self.write_back(o.fd, o)
            LOG.info("unmounted; wrote back %d files", len(pending))

    # -- control -------------------------------------------------------------------------

    def command(self, line):
        words = line.split()
        if not words:
            return "error empty command"
        verb, args = words[0], words[1:]
        if verb == "cut":
            self.power_cut()
            return "ok"
        if verb == "cutafter" and len(args) == 2:
            with self.data_lock:
                self.cut_after = [args[0], int(args[1])]
            LOG.info("control: %s", line)
            return "ok"
        with self.gate:
            if verb == "ping":
                return "ok"
            if verb == "hang":
                self.hanging = True
            elif verb == "release":
                self.hanging = False
                self.gate.notify_all()
            elif verb == "fail" and len(args) in (2, 3):
                code = getattr(errno, args[1], None)
                if not isinstance(code, int):
                    return "error unknown errno " + args[1]
                remaining = int(args[2]) if len(args) == 3 else None
                for op in args[0].split(","):
                    self.faults[op] = [code, remaining]
            elif verb == "full" and args in (["on"], ["off"]):
                self.full = args == ["on"]
            elif verb == "clear":
                self.faults.clear()
                self.full = False
            elif verb == "stats":
                pairs = ["hung=%d" % self.hung, "cut=%d" % self.cut, "dropped=%d" % self.dropped]
                pairs += ["ops.%s=%d" % kv for kv in sorted(self.ops.items())]
                pairs += ["errors.%s=%d" % kv for kv in sorted(self.errors.items())]
                return "ok " + " ".join(pairs)
            else:
                return "error unknown command: " + line
        LOG.info("control: %s", line)
        return "ok"

    def power_cut(self):
        # With the data lock held no sync is half done when the overlays go. An operation
        # blocked at the hang gate has not started, so it is lost too.
        with self.data_lock, self.gate:
            self.cut = True
            self.dropped = sum(len(o.dirty) for o in self.overlays.values())
            for o in self.overlays.values():
                o.drop()
            LOG.info("power cut: dropped %d unsynced pages", self.dropped)


class Faulty(FaultFs):
    """fsync as the kernel sees it: a failure of the sync itself also loses the pending data."""

    def __call__(self, op, *args):
        if op == "fsync":
            try:
                return super().__call__(op, *args)
            except OSError:
                fh = args[2]
                if fh in self.handles:
                    self.lose_pending(fh)
                raise
        return super().__call__(op, *args)


def serve_control(fs, path):
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)

    def client(conn):
        with conn, conn.makefile("rw", encoding="utf-8", newline="\n") as f:
            for line in f:
                try:
                    answer = fs.command(line.strip())
                except Exception as e:  # an answer, not a dead control thread
                    LOG.exception("control command failed")
                    answer = "error " + str(e)
                f.write(answer + "\n")
                f.flush()

    def accept():
        while True:
            conn, _ = server.accept()
            threading.Thread(target=client, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True, name="control").start()


def ctl(path, command):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        s.sendall((command + "\n").encode())
        answer = s.makefile(encoding="utf-8").readline().strip()
    print(answer)
    return 0 if answer.startswith("ok") else 1


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "ctl":
        return ctl(sys.argv[2], " ".join(sys.argv[3:]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("backing")
    parser.add_argument("mountpoint")
    parser.add_argument("--control", required=True)
    parser.add_argument("--log")
    parser.add_argument("--debug", action="store_true")
    a = parser.parse_args()
    logging.basicConfig(
        filename=a.log,
        level=logging.DEBUG if a.debug else logging.INFO,
        format="%(asctime)s.%(msecs)03d %(threadName)s %(message)s",
        datefmt="%H:%M:%S",
    )
    fs = Faulty(a.backing)
    serve_control(fs, a.control)
    LOG.info("mounting %s at %s", a.backing, a.mountpoint)
    fusepy.FUSE(
        fs,
        a.mountpoint,
        foreground=True,
        fsname="faultfs",
        subtype="faultfs",
        default_permissions=True,
        hard_remove=True,
        big_writes=True,
        max_write=131072,
        attr_timeout=0,
        entry_timeout=0,
        negative_timeout=0,
    )
    LOG.info("exited")


if __name__ == "__main__":
    sys.exit(main())
