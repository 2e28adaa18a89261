#!/bin/sh
#
# The VCS agent for the Tandem message broker (resource type Tandem). The entry
# point scripts online, offline, monitor and clean next to this file run it as
#   tandem-vcs.sh ENTRY_POINT ResName [CleanReason] ArgList values...
# with the ArgList of TandemTypes.cf. The start, stop, monitor and fence steps
# live in $Home/libexec/tandem-agent-lib.sh, shared with the Pacemaker agent.
# See docs/vcs.md.

# Monitor exit codes (VCS script agent conventions).
VCS_ONLINE=110
VCS_OFFLINE=100
VCS_UNKNOWN=99

# online and offline answer with the seconds VCS waits before it monitors.
VCS_MONITOR_AT_ONCE=0

# clean exit codes.
VCS_CLEAN_DONE=0
VCS_CLEAN_FAILED=1

# Clean reasons VCS passes to the clean entry point.
CLEAN_OFFLINE_HUNG=0
CLEAN_OFFLINE_INEFFECTIVE=1
CLEAN_ONLINE_HUNG=2
CLEAN_ONLINE_INEFFECTIVE=3
CLEAN_UNEXPECTED_OFFLINE=4
CLEAN_MONITOR_HUNG=5

# Message ids for VCSAG_LOG_MSG.
MSG_ERROR=1001
MSG_WARNING=1002
MSG_INFO=1003

# Seconds online waits for /health when StartTimeout is not set; keep it below
# the type's OnlineTimeout.
DEFAULT_START_TIMEOUT=240

# Seconds offline may take when it has to SIGKILL; keep StopTimeout plus this
# below the type's OfflineTimeout.
KILL_ALLOWANCE=30

vcs_usage() {
    echo "usage: $0 online|offline|monitor|clean ResName [CleanReason] ArgList values" >&2
}

# Logs through the VCS agent framework's shell library where VCS is installed,
# to standard error otherwise.
vcs_setup_logging() {
    vcs_lib="${VCS_HOME:-/opt/VRTSvcs}/bin/ag_i18n_inc.sh"
    if [ -r "$vcs_lib" ]; then
        # shellcheck source=/dev/null
        . "$vcs_lib"
        VCSAG_SET_ENVS "$RES_NAME"
        VCS_LOGGING=halog
    else
        VCS_LOGGING=stderr
    fi
}

tandem_log() {
    if [ "$VCS_LOGGING" = halog ]; then
        case "$1" in
            err) VCSAG_LOG_MSG "E" "$2" "$MSG_ERROR" ;;
            warn) VCSAG_LOG_MSG "W" "$2" "$MSG_WARNING" ;;
            info) VCSAG_LOG_MSG "I" "$2" "$MSG_INFO" ;;
            *) ;;
        esac
    else
        echo "$(date '+%Y/%m/%d %H:%M:%S') Tandem:$RES_NAME:$ENTRY_POINT: $1: $2" >&2
    fi
}

# ArgList (TandemTypes.cf): Home Config JavaHome Store HealthUrl User
# StopTimeout StartTimeout MonitorDepth PidFile LogFile JavaOpts ProbeQueue
# ProbeUser ProbePasswordFile. Loads the shared library from Home.
# The TANDEM_* variables set here are the library's inputs.
# shellcheck disable=SC2034
vcs_load() {
    TANDEM_HOME=$1
    TANDEM_CONFIG=$2
    TANDEM_JAVA_HOME=$3
    TANDEM_STORE=$4
    TANDEM_HEALTH_URL=$5
    TANDEM_USER=$6
    TANDEM_STOP_TIMEOUT=${7:-30}
    VCS_START_TIMEOUT=${8:-$DEFAULT_START_TIMEOUT}
    VCS_MONITOR_DEPTH=${9:-10}
    shift 9
    TANDEM_PID_FILE=${1:-/var/run/tandem/$RES_NAME.pid}
    TANDEM_LOG_FILE=${2:-/var/log/tandem/$RES_NAME.log}
    TANDEM_JAVA_OPTS_BROKER=$3
    TANDEM_PROBE_QUEUE=$4
    TANDEM_PROBE_USER=$5
    TANDEM_PROBE_PASSWORD_FILE=$6
    tandem_lib="$TANDEM_HOME/libexec/tandem-agent-lib.sh"
    if [ -z "$TANDEM_HOME" ] || [ ! -r "$tandem_lib" ]; then
        tandem_log err "no Tandem installation at Home='$TANDEM_HOME' (needs libexec/tandem-agent-lib.sh)"
        return 1
    fi
    # shellcheck source=/dev/null
    . "$tandem_lib"
    tandem_setup
}

vcs_online() {
    if ! tandem_validate; then
        tandem_log err "not starting: the resource's attributes or installation are wrong"
        return $VCS_MONITOR_AT_ONCE
    fi
    if ! tandem_start $(($(tandem_now) + VCS_START_TIMEOUT)); then
        tandem_log err "online failed; monitor will report the resource offline"
    fi
    return $VCS_MONITOR_AT_ONCE
}

vcs_offline() {
    tandem_stop $(($(tandem_now) + TANDEM_STOP_TIMEOUT + KILL_ALLOWANCE))
    return $VCS_MONITOR_AT_ONCE
}

# Online only while the broker serves at MonitorDepth (0: process, 10: /health,
# 20: message round trip). A broker that is alive but does not serve is
# reported offline, so VCS cleans it and restarts or fails over the group.
vcs_monitor() {
    case "$VCS_MONITOR_DEPTH" in
        0 | 10 | 20) ;;
        *)
            tandem_log err "MonitorDepth must be 0, 10 or 20, not '$VCS_MONITOR_DEPTH'"
            return $VCS_UNKNOWN
            ;;
    esac
    if tandem_monitor "$VCS_MONITOR_DEPTH"; then
        return $VCS_ONLINE
    fi
    return $VCS_OFFLINE
}

# When an entry point hung, the broker may be hung too: SIGKILL at once.
# Otherwise stop as offline does (SIGTERM, then SIGKILL after StopTimeout).
vcs_clean() {
    case "$1" in
        "$CLEAN_OFFLINE_HUNG" | "$CLEAN_ONLINE_HUNG" | "$CLEAN_MONITOR_HUNG" | "$CLEAN_OFFLINE_INEFFECTIVE")
            tandem_log warn "clean (reason $1): killing the broker"
            tandem_kill
            ;;
        "$CLEAN_ONLINE_INEFFECTIVE" | "$CLEAN_UNEXPECTED_OFFLINE")
            tandem_log info "clean (reason $1): stopping the broker"
            tandem_stop $(($(tandem_now) + TANDEM_STOP_TIMEOUT + KILL_ALLOWANCE))
            ;;
        *)
            tandem_log warn "clean with unknown reason '$1': killing the broker"
            tandem_kill
            ;;
    esac
    if [ $? -eq "$TANDEM_RC_OK" ]; then
        return $VCS_CLEAN_DONE
    fi
    return $VCS_CLEAN_FAILED
}

ENTRY_POINT=$1
RES_NAME=$2
if [ -z "$ENTRY_POINT" ] || [ -z "$RES_NAME" ]; then
    vcs_usage
    exit 1
fi
shift 2
vcs_setup_logging

case "$ENTRY_POINT" in
    online)
        vcs_load "$@" || exit $VCS_MONITOR_AT_ONCE
        vcs_online
        ;;
    offline)
        vcs_load "$@" || exit $VCS_MONITOR_AT_ONCE
        vcs_offline
        ;;
    monitor)
        # Without the installation no broker of ours can be running here.
        vcs_load "$@" || exit $VCS_OFFLINE
        vcs_monitor
        ;;
    clean)
        reason=$1
        shift
        vcs_load "$@" || exit $VCS_CLEAN_FAILED
        vcs_clean "$reason"
        ;;
    *)
        vcs_usage
        exit 1
        ;;
esac
exit $?
