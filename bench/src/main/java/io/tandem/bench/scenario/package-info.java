/**
 * The workloads, one class per scenario of the benchmark, each run once per repetition against one
 * broker through Qpid JMS from this JVM. A scenario starts the brokers it needs through {@link
 * io.tandem.bench.scenario.Lab} and returns figures; it judges nothing. Throughput and latency
 * windows also return what they cost the broker and the client per message ({@code CostSpan}, over
 * {@link io.tandem.bench.cost}), and {@link io.tandem.bench.scenario.Warmup} runs the client's code
 * paths on both brokers before anything is measured.
 */
package io.tandem.bench.scenario;
