/**
 * What the modules' tests share, in the manner of {@code curator-test}. Used at test scope only;
 * nothing in production code depends on it.
 */
package io.tandem.testing;
