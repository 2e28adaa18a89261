/**
 * Hot-warm fault tolerance: a primary and a backup broker over one shared store. {@link
 * io.tandem.broker.ft.PairMember} runs one member of the pair: it takes the store lock (file or
 * ZooKeeper, from the lock manager) or waits as backup, keeps the peer link to the primary with
 * heartbeats, and on a broken link or {@code ft_activation} of silence obtains the lock and runs
 * its {@code Activation}: raise the fence, re-read the configuration, recover the store and serve.
 * A member is built from its collaborators ({@code PairMember.Parts}: lock, link to the primary,
 * store opener, configuration reader, clock, what ends the process); {@code PairParts} gives the
 * production ones, and unit tests give fakes. The peer protocol shares the primary's AMQP port
 * ({@link io.tandem.broker.amqp.PeerService}). With {@code authorization = enabled} the members
 * first authenticate each other with the pair's password ({@code PeerAuthentication}, over {@link
 * io.tandem.broker.security}'s SCRAM) and seal every later line.
 */
package io.tandem.broker.ft;
