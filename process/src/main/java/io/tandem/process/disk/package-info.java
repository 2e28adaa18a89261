/**
 * What the store benchmarks measure and clean up on a file system, shared by {@code tandem store
 * bench} and the bench module: the disk's fdatasync rate and removing a run's directory tree.
 */
package io.tandem.process.disk;
