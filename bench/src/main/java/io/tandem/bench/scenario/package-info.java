/**
 * The workloads, one class per scenario of the benchmark, each run once per repetition against one
 * broker through Qpid JMS from this JVM. A scenario starts the brokers it needs through {@link
 * io.tandem.bench.scenario.Lab} and returns figures; it judges nothing.
 */
package io.tandem.bench.scenario;
