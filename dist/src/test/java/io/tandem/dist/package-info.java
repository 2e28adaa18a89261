/**
 * Tests of what operators install: the unpacked {@code tandem-VERSION.tar.gz} run through symlinks,
 * and the Debian package installed on this machine, run as its {@code tandem} user and purged
 * again. They drive the launchers and agents as processes, the way an operator does.
 */
package io.tandem.dist;
