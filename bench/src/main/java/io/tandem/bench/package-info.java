/**
 * The {@code tandem-bench} command: runs each scenario on Tandem and on ActiveMQ Artemis
 * alternately, the starting broker alternating with each repetition (A B, B A), after warming the
 * client on both; it records the machine (cores, the disk's fdatasync rate measured in the same
 * run, load average), what each measured window cost each broker ({@link io.tandem.bench.cost}),
 * and writes one table of medians, ranges and ratios as JSON and Markdown. Uses {@link
 * io.tandem.bench.scenario} for the workloads and {@link io.tandem.bench.broker} for the broker
 * processes.
 */
package io.tandem.bench;
