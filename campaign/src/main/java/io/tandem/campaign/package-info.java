/**
 * A Jepsen-style fault campaign over a real multi-host deployment: hosts as Linux network
 * namespaces on a test bridge, a hot-warm pair with one broker per host on one shared store, Qpid
 * JMS clients through a failover URI recording every operation, a nemesis that injects and heals
 * faults at random from a seed, and a checker over the whole history and over the members' {@code
 * /state} sampled throughout. It talks to the brokers only over the network it created.
 */
package io.tandem.campaign;
