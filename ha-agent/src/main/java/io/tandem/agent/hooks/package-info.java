/**
 * The operator's commands: {@code mount_command}, {@code unmount_command} and {@code
 * fence_command}, each run with {@code /bin/sh -c}, with the node, store, epoch (and, for the fence
 * command, the stale node) in the environment, killed with its whole process tree when its timeout
 * passes. Their output goes to the agent's log.
 */
package io.tandem.agent.hooks;
