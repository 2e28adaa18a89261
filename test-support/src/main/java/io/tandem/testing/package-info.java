/**
 * What the modules' tests share, in the manner of {@code curator-test}. Used at test scope only;
 * nothing in production code depends on it. {@link io.tandem.testing.AdminHttp} calls a broker's
 * admin endpoint and {@link io.tandem.testing.JsonTree} parses its JSON (through jackson-jr), so
 * tests assert on fields instead of matching substrings of the text.
 */
package io.tandem.testing;
