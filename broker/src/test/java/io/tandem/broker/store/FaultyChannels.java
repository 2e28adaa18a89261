package io.tandem.broker.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Segment channels whose writes or data flushes fail on demand, for the files of one journal: the
 * failures a dying disk or a full file system report, which a real test file system never does.
 */
final class FaultyChannels implements SegmentChannels {
  /** What an armed channel does. */
  enum Fault {
    NONE,
    /** {@code force(false)} (fdatasync) throws EIO. */
    FLUSH_EIO,
    /** {@code force(false)} throws ENOSPC. */
    FLUSH_ENOSPC,
    /** The next positional write throws ENOSPC before writing anything, once. */
    WRITE_ENOSPC_ONCE,
    /** The next positional write throws EIO before writing anything, once. */
    WRITE_EIO_ONCE,
    /** Every positional write throws EIO. */
    WRITE_EIO
  }

  private final String journal;
  private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
  final AtomicInteger injected = new AtomicInteger();

  /** Faults apply to segments of {@code journal} (e.g. {@code sync-msgs.db}). */
  FaultyChannels(String journal) {
    this.journal = journal;
  }

  void arm(Fault f) {
    fault.set(f);
  }

  @Override
  public FileChannel create(Path file) throws IOException {
    FileChannel real = SegmentChannels.SYSTEM.create(file);
    return file.getParent().getFileName().toString().equals(journal) ? new Faulty(real) : real;
  }

  @Override
  public FileChannel directory(Path dir) throws IOException {
    return SegmentChannels.SYSTEM.directory(dir);
  }

  private final class Faulty extends FileChannel {
    private final FileChannel real;

    /** Whether Segment.create finished (its one full flush): only appends get write faults. */
    private volatile boolean created;

    Faulty(FileChannel real) {
      this.real = real;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      Fault f = fault.get();
      if (!metaData && (f == Fault.FLUSH_EIO || f == Fault.FLUSH_ENOSPC)) {
        injected.incrementAndGet();
        throw new IOException(
            f == Fault.FLUSH_EIO ? "Input/output error" : "No space left on device");
      }
      real.force(metaData);
      created |= metaData;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      if (!created) {
        return real.write(src, position);
      }
      if (fault.compareAndSet(Fault.WRITE_ENOSPC_ONCE, Fault.NONE)) {
        injected.incrementAndGet();
        throw new IOException("No space left on device");
      }
      if (fault.get() == Fault.WRITE_EIO || fault.compareAndSet(Fault.WRITE_EIO_ONCE, Fault.NONE)) {
        injected.incrementAndGet();
        throw new IOException("Input/output error");
      }
      return real.write(src, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return real.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return real.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return real.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return real.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return real.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      real.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return real.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      real.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return real.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return real.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return real.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return real.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      throw new UnsupportedOperationException("segments are not locked");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      throw new UnsupportedOperationException("segments are not locked");
    }

    @Override
    protected void implCloseChannel() throws IOException {
      real.close();
    }
  }
}
