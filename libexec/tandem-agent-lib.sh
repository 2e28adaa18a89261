# shellcheck shell=sh
# Tandem cluster-agent library: the start, stop, monitor and fence steps that the
# Pacemaker OCF agent (pacemaker-resource/tandem-broker) and the VCS agent
# (vcs-agent-scripts/Tandem) share. POSIX sh, sourced, never run.
#
# It lives in the Tandem installation ($home/libexec) so that both agents find it
# through the one parameter they both need, and so that it always matches the
# bin/tandem command line it drives.
#
# Before sourcing, the agent defines tandem_log LEVEL MESSAGE (LEVEL is one of
# info, warn, err, debug). After sourcing it sets the TANDEM_* variables below
# and calls tandem_setup. Functions return the TANDEM_RC_* codes; each agent maps
# them to its cluster manager's codes.
#
# Inputs (empty means "use the default"):
#   TANDEM_HOME         Tandem installation or checkout (holds bin/tandem)
#   TANDEM_JAVA_HOME    JDK or JRE to run the broker with
#   TANDEM_CONFIG       the broker's tandem.conf (absolute path)
#   TANDEM_STORE        store directory; default: store in TANDEM_CONFIG
#   TANDEM_HEALTH_URL   default: what `tandem config health-url` prints for TANDEM_CONFIG
#   TANDEM_HEALTH_CACERT  PEM CA file for an https:// health URL; default: curl's CAs
#   TANDEM_USER         run the broker as this user; default: the agent's user
#   TANDEM_STOP_TIMEOUT seconds between SIGTERM and SIGKILL
#   TANDEM_PID_FILE     where the broker's process id is kept (set by the agent); the
#                       broker's exit status is recorded next to it (TANDEM_EXIT_FILE)
#   TANDEM_LOG_FILE     the broker's standard output and error (set by the agent)
#   TANDEM_JAVA_OPTS_BROKER  JVM options for the broker (bin/tandem's TANDEM_JAVA_OPTS)
#   TANDEM_PROBE_QUEUE, TANDEM_PROBE_USER, TANDEM_PROBE_PASSWORD_FILE  deep monitor

TANDEM_RC_OK=0
TANDEM_RC_FAILED=1
TANDEM_RC_CONFIGURED=2
TANDEM_RC_NOT_INSTALLED=3
TANDEM_RC_STOPPED=4

# The exit status of bin/tandem (the broker's ExitCodes) that the agent acts on:
# the configuration is invalid.
TANDEM_EXIT_CONFIG=2

# JVM options for the short command-line runs (fence, probe): small and quick to start.
TANDEM_CLI_JAVA_OPTS="-Xms8m -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# The directory part of an absolute path. (No dirname: ocf-shellfuncs replaces
# it with a function that takes no options.)
tandem_dir_of() {
    _tdo_dir=${1%/*}
    printf '%s\n' "${_tdo_dir:-/}"
}

# Runs `tandem config ARGS... --config TANDEM_CONFIG` as the broker's user, which
# reads and validates tandem.conf as the broker would at start, and prints its
# answer. On failure it logs the reason (file:line) and returns CONFIGURED for an
# invalid configuration, FAILED otherwise.
tandem_config() {
    if _tcf_out=$(
        TANDEM_JAVA_OPTS=$TANDEM_CLI_JAVA_OPTS
        export TANDEM_JAVA_OPTS
        tandem_run_as "$TANDEM_CMD" config "$@" --config "$TANDEM_CONFIG" 2>&1
    ); then
        printf '%s\n' "$_tcf_out" | tail -n 1
        return $TANDEM_RC_OK
    else
        _tcf_rc=$?
    fi
    tandem_log err "$_tcf_out"
    [ "$_tcf_rc" -eq "$TANDEM_EXIT_CONFIG" ] && return $TANDEM_RC_CONFIGURED
    return $TANDEM_RC_FAILED
}

# The health URL: health_url if given, else what the broker's admin_listen implies.
# A running broker is asked where start found it (TANDEM_URL_FILE), since it
# listens where tandem.conf said when it started: an edit of the file since, even
# a wrong one, does not move it. Otherwise bin/tandem is asked, once per agent run.
tandem_health_url() {
    [ -n "$TANDEM_HEALTH_URL" ] && return $TANDEM_RC_OK
    if [ -f "$TANDEM_PID_FILE" ] && [ -s "$TANDEM_URL_FILE" ]; then
        read -r TANDEM_HEALTH_URL <"$TANDEM_URL_FILE" || :
        [ -n "$TANDEM_HEALTH_URL" ] && return $TANDEM_RC_OK
    fi
    TANDEM_HEALTH_URL=$(tandem_config health-url) || return $?
    return $TANDEM_RC_OK
}

# Fills in defaults. Call after setting the inputs. What comes from tandem.conf
# (the store, the health URL) is asked of bin/tandem by the steps that need it,
# so that stop and the depth 0 monitor start no JVM.
tandem_setup() {
    TANDEM_CMD="$TANDEM_HOME/bin/tandem"
    : "${TANDEM_STOP_TIMEOUT:=30}"
    : "${TANDEM_PROBE_QUEUE:=tandem.probe}"
    TANDEM_EXIT_FILE="${TANDEM_PID_FILE%.pid}.exit"
    TANDEM_URL_FILE="${TANDEM_PID_FILE%.pid}.health-url"
    if [ -n "$TANDEM_JAVA_HOME" ]; then
        JAVA_HOME=$TANDEM_JAVA_HOME
        export JAVA_HOME
    fi
}

# Both paths name the same directory (compared physically where they exist).
tandem_same_dir() {
    if [ -d "$1" ] && [ -d "$2" ]; then
        [ "$(cd -- "$1" && pwd -P)" = "$(cd -- "$2" && pwd -P)" ]
    else
        [ "${1%/}" = "${2%/}" ]
    fi
}

# Checks what can be checked without touching the store. Returns OK, CONFIGURED
# (a parameter is wrong) or NOT_INSTALLED (software missing on this host).
tandem_validate() {
    if [ ! -x "$TANDEM_CMD" ]; then
        tandem_log err "$TANDEM_CMD is missing or not executable (check home)"
        return $TANDEM_RC_NOT_INSTALLED
    fi
    if [ -n "$TANDEM_JAVA_HOME" ]; then
        if [ ! -x "$TANDEM_JAVA_HOME/bin/java" ]; then
            tandem_log err "$TANDEM_JAVA_HOME/bin/java is missing (check java_home)"
            return $TANDEM_RC_NOT_INSTALLED
        fi
    elif ! command -v java >/dev/null 2>&1; then
        tandem_log err "java is not on PATH; set java_home"
        return $TANDEM_RC_NOT_INSTALLED
    fi
    if ! command -v curl >/dev/null 2>&1; then
        tandem_log err "curl is needed for the health check and is not installed"
        return $TANDEM_RC_NOT_INSTALLED
    fi
    case "$TANDEM_CONFIG" in
        /*) ;;
        *)
            tandem_log err "config must be an absolute path, not '$TANDEM_CONFIG'"
            return $TANDEM_RC_CONFIGURED
            ;;
    esac
    if [ ! -r "$TANDEM_CONFIG" ]; then
        tandem_log err "cannot read the broker configuration $TANDEM_CONFIG"
        return $TANDEM_RC_CONFIGURED
    fi
    case "$TANDEM_STOP_TIMEOUT" in
        '' | *[!0-9]*)
            tandem_log err "stop_timeout must be a whole number of seconds, not '$TANDEM_STOP_TIMEOUT'"
            return $TANDEM_RC_CONFIGURED
            ;;
    esac
    if [ -n "$TANDEM_USER" ] && ! id "$TANDEM_USER" >/dev/null 2>&1; then
        tandem_log err "user $TANDEM_USER does not exist"
        return $TANDEM_RC_CONFIGURED
    fi
    TANDEM_CONF_STORE=$(tandem_config get store) || return $?
    : "${TANDEM_STORE:=$TANDEM_CONF_STORE}"
    if [ -z "$TANDEM_HEALTH_URL" ]; then
        TANDEM_HEALTH_URL=$(tandem_config health-url) || return $?
    fi
    if ! tandem_same_dir "$TANDEM_STORE" "$TANDEM_CONF_STORE"; then
        tandem_log err "store $TANDEM_STORE is not the store in $TANDEM_CONFIG ($TANDEM_CONF_STORE)"
        return $TANDEM_RC_CONFIGURED
    fi
    # tandem config check, as the broker's user: the TLS files and whether that user can
    # read and write the store. Only where the store is there: on a node whose shared volume
    # is not mounted it is not, and that is no configuration error.
    if [ -d "$TANDEM_STORE" ]; then
        tandem_config check >/dev/null || return $?
    fi
    if [ -n "$TANDEM_PROBE_USER" ] && [ ! -r "$TANDEM_PROBE_PASSWORD_FILE" ]; then
        tandem_log err "probe_user needs a readable probe_password_file"
        return $TANDEM_RC_CONFIGURED
    fi
    return $TANDEM_RC_OK
}

# Whether commands must switch to TANDEM_USER.
tandem_switch_user() {
    [ -n "$TANDEM_USER" ] && [ "$(id -un)" != "$TANDEM_USER" ]
}

# Runs a command as TANDEM_USER when needed. setpriv replaces itself with the
# command, so a process id taken before it stays the broker's.
tandem_run_as() {
    if tandem_switch_user; then
        setpriv --reuid="$TANDEM_USER" --regid="$(id -g "$TANDEM_USER")" --init-groups -- "$@"
    else
        "$@"
    fi
}

# A pause between polls; fractional where sleep supports it.
tandem_pause() {
    sleep 0.2 2>/dev/null || sleep 1
}

tandem_now() {
    date +%s
}

# Prints the process id in the pid file; fails if there is none.
tandem_pid() {
    [ -f "$TANDEM_PID_FILE" ] || return 1
    _tp_pid=$(cat -- "$TANDEM_PID_FILE" 2>/dev/null)
    case "$_tp_pid" in
        '' | *[!0-9]*) return 1 ;;
    esac
    printf '%s\n' "$_tp_pid"
}

# The process exists and is not a zombie (init may be slow to reap, or not reap).
tandem_exists() {
    kill -0 "$1" 2>/dev/null || return 1
    [ -r "/proc/$1/stat" ] || return 0
    _te_state=$(sed 's/^.*) \([A-Za-z]\).*$/\1/' "/proc/$1/stat" 2>/dev/null)
    [ "$_te_state" != Z ]
}

# The process exists, is not a zombie, and is this resource's broker (not a
# reused process id): its command line runs bin/tandem broker with our config.
tandem_alive() {
    tandem_exists "$1" || return 1
    if [ -r "/proc/$1/cmdline" ]; then
        _ta_args=$(tr '\000' ' ' <"/proc/$1/cmdline" 2>/dev/null)
    else
        _ta_args=$(ps -p "$1" -o args= 2>/dev/null)
    fi
    case "$_ta_args" in
        *" broker --config $TANDEM_CONFIG "*) return 0 ;;
        *) return 1 ;;
    esac
}

# The process is on its way out: it exists and is not yet a zombie, but its
# memory, and with it its command line, is already gone. A killed JVM spends a
# while here tearing down its threads, and it may still hold the store's lock
# until its files are closed, so a stop waits for this to end too.
tandem_exiting() {
    tandem_exists "$1" || return 1
    [ -r "/proc/$1/cmdline" ] || return 1
    [ -z "$(tr -d '\000' <"/proc/$1/cmdline" 2>/dev/null)" ]
}

# RUNNING (OK), STOPPED (no pid file: never started or stopped cleanly) or
# FAILED (the pid file remains but its broker is gone: it crashed or was fenced).
tandem_process_status() {
    if ! _tps_pid=$(tandem_pid); then
        return $TANDEM_RC_STOPPED
    fi
    if tandem_alive "$_tps_pid"; then
        return $TANDEM_RC_OK
    fi
    tandem_log err "broker process $_tps_pid is gone: $(tandem_describe_exit)"
    return $TANDEM_RC_FAILED
}

# Reads the exit status the broker recorded in TANDEM_EXIT_FILE as it ended
# (one line: STATUS NAME REASON) into TANDEM_EXIT_STATUS, TANDEM_EXIT_NAME and
# TANDEM_EXIT_REASON. Fails if there is none: the broker was killed, or died
# before it could record one.
tandem_exit_status() {
    TANDEM_EXIT_STATUS=""
    TANDEM_EXIT_NAME=""
    TANDEM_EXIT_REASON=""
    [ -s "$TANDEM_EXIT_FILE" ] || return 1
    read -r TANDEM_EXIT_STATUS TANDEM_EXIT_NAME TANDEM_EXIT_REASON <"$TANDEM_EXIT_FILE" || :
    case "$TANDEM_EXIT_STATUS" in
        '' | *[!0-9]*) return 1 ;;
    esac
    return 0
}

# How the broker ended, for messages about it: its recorded status and reason.
tandem_describe_exit() {
    if tandem_exit_status; then
        printf 'exited with status %s (%s): %s' \
            "$TANDEM_EXIT_STATUS" "$TANDEM_EXIT_NAME" "$TANDEM_EXIT_REASON"
    else
        printf 'no exit status recorded in %s (killed, or ended before it could record one; see %s)' \
            "$TANDEM_EXIT_FILE" "$TANDEM_LOG_FILE"
    fi
}

# GET health_url answers 200 within TIMEOUT seconds (default 10).
tandem_health() {
    if ! tandem_health_url; then
        TANDEM_HEALTH_REASON="no health URL (see the error above)"
        return $TANDEM_RC_FAILED
    fi
    if [ -n "${TANDEM_HEALTH_CACERT:-}" ]; then
        _th_out=$(curl -sS --max-time "${1:-10}" --cacert "$TANDEM_HEALTH_CACERT" \
            -w '\n%{http_code}' -- "$TANDEM_HEALTH_URL" 2>&1)
    else
        _th_out=$(curl -sS --max-time "${1:-10}" -w '\n%{http_code}' -- "$TANDEM_HEALTH_URL" 2>&1)
    fi
    _th_code=$(printf '%s\n' "$_th_out" | tail -n 1)
    [ "$_th_code" = 200 ] && return $TANDEM_RC_OK
    TANDEM_HEALTH_REASON=$(printf '%s\n' "$_th_out" | sed '$d' | tr '\n' ' ')
    return $TANDEM_RC_FAILED
}

# One persistent message through the broker and back (tandem probe).
tandem_probe() {
    set -- probe --config "$TANDEM_CONFIG" --queue "$TANDEM_PROBE_QUEUE" --timeout "${1:-10}"
    if [ -n "$TANDEM_PROBE_USER" ]; then
        set -- "$@" --user "$TANDEM_PROBE_USER" --password-file "$TANDEM_PROBE_PASSWORD_FILE"
    fi
    if _tpr_out=$(
        TANDEM_JAVA_OPTS=$TANDEM_CLI_JAVA_OPTS
        export TANDEM_JAVA_OPTS
        "$TANDEM_CMD" "$@" 2>&1
    ); then
        return $TANDEM_RC_OK
    fi
    tandem_log err "message round trip failed: $_tpr_out"
    return $TANDEM_RC_FAILED
}

# DEPTH 0: the process; 10: also /health answers 200; 20: also a message round trip.
tandem_monitor() {
    tandem_process_status
    _tm_rc=$?
    [ $_tm_rc -eq $TANDEM_RC_OK ] || return $_tm_rc
    [ "${1:-0}" -ge 10 ] || return $TANDEM_RC_OK
    if ! tandem_health 5; then
        tandem_log err "broker $(tandem_pid) is running but $TANDEM_HEALTH_URL does not answer 200: $TANDEM_HEALTH_REASON"
        return $TANDEM_RC_FAILED
    fi
    [ "${1:-0}" -ge 20 ] || return $TANDEM_RC_OK
    tandem_probe
}

# Raises the store's fence to a new epoch and prints it. From here on only a
# broker started with that epoch may write the store; an older one exits as fenced.
tandem_raise_fence() {
    _trf_out=$(
        TANDEM_JAVA_OPTS=$TANDEM_CLI_JAVA_OPTS
        export TANDEM_JAVA_OPTS
        tandem_run_as "$TANDEM_CMD" store fence "$TANDEM_STORE" --raise 2>&1
    )
    _trf_rc=$?
    if [ $_trf_rc -ne 0 ]; then
        tandem_log err "cannot raise the fence of $TANDEM_STORE (exit $_trf_rc): $_trf_out"
        return $TANDEM_RC_FAILED
    fi
    _trf_epoch=$(printf '%s\n' "$_trf_out" | tail -n 1)
    case "$_trf_epoch" in
        '' | *[!0-9]*)
            tandem_log err "unexpected output from tandem store fence: $_trf_out"
            return $TANDEM_RC_FAILED
            ;;
    esac
    printf '%s\n' "$_trf_epoch"
}

# Empties the exit status file for the broker about to start, owned by the
# broker's user, who may not be able to create files next to the pid file.
tandem_reset_exit_status() {
    : >"$TANDEM_EXIT_FILE" || return $TANDEM_RC_FAILED
    if tandem_switch_user; then
        chown -- "$TANDEM_USER" "$TANDEM_EXIT_FILE" || return $TANDEM_RC_FAILED
    fi
    return $TANDEM_RC_OK
}

# Starts the broker in its own session, detached from the agent (stdin from
# /dev/null, output appended to the log file), and records its process id and
# health URL. The broker records its exit status in TANDEM_EXIT_FILE as it ends.
tandem_launch() {
    mkdir -p -- "$(tandem_dir_of "$TANDEM_LOG_FILE")" "$(tandem_dir_of "$TANDEM_PID_FILE")" \
        || return $TANDEM_RC_FAILED
    tandem_reset_exit_status || return $TANDEM_RC_FAILED
    printf '%s\n' "$TANDEM_HEALTH_URL" >"$TANDEM_URL_FILE" || return $TANDEM_RC_FAILED
    echo "=== $(date '+%Y-%m-%dT%H:%M:%S%z') agent starts the broker at epoch $1" \
        >>"$TANDEM_LOG_FILE" || return $TANDEM_RC_FAILED
    set -- "$TANDEM_CMD" broker --config "$TANDEM_CONFIG" --mode ha --epoch "$1" \
        --exit-status-file "$TANDEM_EXIT_FILE"
    if tandem_switch_user; then
        set -- setpriv --reuid="$TANDEM_USER" --regid="$(id -g "$TANDEM_USER")" --init-groups -- "$@"
    fi
    (
        cd / || exit 1
        if [ -n "$TANDEM_JAVA_OPTS_BROKER" ]; then
            TANDEM_JAVA_OPTS=$TANDEM_JAVA_OPTS_BROKER
            export TANDEM_JAVA_OPTS
        else
            unset TANDEM_JAVA_OPTS
        fi
        exec setsid "$@" </dev/null >>"$TANDEM_LOG_FILE" 2>&1
    ) &
    echo $! >"$TANDEM_PID_FILE"
}

# Seconds left before DEADLINE (an absolute time from tandem_now).
tandem_left() {
    echo $(($1 - $(tandem_now)))
}

# Seconds start waits for the store to appear before it gives up.
TANDEM_STORE_WAIT=10

# The agent never creates a store: a store directory without its fence file
# usually means the store's file system is not mounted, and a broker started
# there would serve an empty store. Waits briefly, since a cluster manager may
# be about to notice the missing mount itself.
tandem_await_store() {
    _tas_until=$(($(tandem_now) + TANDEM_STORE_WAIT))
    [ "$_tas_until" -gt "$1" ] && _tas_until=$1
    while [ ! -f "$TANDEM_STORE/fence" ]; do
        if [ "$(tandem_left "$_tas_until")" -le 0 ]; then
            tandem_log err "no store at $TANDEM_STORE (no fence file): is its file system mounted? A new store is initialised once with: $TANDEM_CMD store fence $TANDEM_STORE --raise"
            return $TANDEM_RC_FAILED
        fi
        tandem_pause
    done
    return $TANDEM_RC_OK
}

# Raises the fence, launches the broker and waits for /health 200 until DEADLINE.
tandem_start() {
    _ts_deadline=$1
    if _ts_pid=$(tandem_pid) && tandem_alive "$_ts_pid"; then
        tandem_log info "broker $_ts_pid is already running; waiting for it to serve"
    else
        tandem_await_store "$_ts_deadline" || return $TANDEM_RC_FAILED
        _ts_epoch=$(tandem_raise_fence) || return $TANDEM_RC_FAILED
        tandem_launch "$_ts_epoch" || {
            tandem_log err "cannot write $TANDEM_PID_FILE, $TANDEM_EXIT_FILE or $TANDEM_LOG_FILE"
            return $TANDEM_RC_FAILED
        }
        _ts_pid=$(tandem_pid)
        tandem_log info "started broker $_ts_pid at epoch $_ts_epoch (log $TANDEM_LOG_FILE)"
    fi
    while :; do
        # Only existence here: the launched shell may not have become the broker yet.
        if ! tandem_exists "$_ts_pid"; then
            tandem_start_failed
            return $?
        fi
        if tandem_health 5; then
            tandem_log info "broker $_ts_pid serves ($TANDEM_HEALTH_URL answers 200)"
            return $TANDEM_RC_OK
        fi
        if [ "$(tandem_left "$_ts_deadline")" -le 0 ]; then
            tandem_log err "broker $_ts_pid did not serve before the start timeout: $TANDEM_HEALTH_REASON"
            return $TANDEM_RC_FAILED
        fi
        tandem_pause
    done
}

# The broker died while starting: report why, from the exit status it recorded.
# A configuration it refuses is CONFIGURED (no restart can help); anything else,
# an unrecorded end included, is FAILED.
tandem_start_failed() {
    rm -f -- "$TANDEM_PID_FILE"
    tandem_log err "the broker exited while starting: $(tandem_describe_exit)"
    if tandem_exit_status && [ "$TANDEM_EXIT_STATUS" -eq "$TANDEM_EXIT_CONFIG" ]; then
        return $TANDEM_RC_CONFIGURED
    fi
    return $TANDEM_RC_FAILED
}

# Waits until process PID is gone or DEADLINE passes.
tandem_wait_gone() {
    while tandem_alive "$1" || tandem_exiting "$1"; do
        [ "$(tandem_left "$2")" -gt 0 ] || return 1
        tandem_pause
    done
    return 0
}

# SIGTERM (and SIGCONT, so a paused broker can act on it), wait up to
# stop_timeout seconds but not past DEADLINE, then SIGKILL. Safe to repeat.
tandem_stop() {
    _tst_deadline=$1
    if ! _tst_pid=$(tandem_pid) || ! tandem_alive "$_tst_pid"; then
        rm -f -- "$TANDEM_PID_FILE"
        tandem_log info "broker is not running"
        return $TANDEM_RC_OK
    fi
    _tst_graceful=$(($(tandem_now) + TANDEM_STOP_TIMEOUT))
    [ "$_tst_graceful" -gt "$_tst_deadline" ] && _tst_graceful=$_tst_deadline
    tandem_log info "stopping broker $_tst_pid (SIGTERM, SIGKILL after ${TANDEM_STOP_TIMEOUT}s)"
    kill -TERM "$_tst_pid" 2>/dev/null
    kill -CONT "$_tst_pid" 2>/dev/null
    if tandem_wait_gone "$_tst_pid" "$_tst_graceful"; then
        rm -f -- "$TANDEM_PID_FILE"
        tandem_log info "broker $_tst_pid stopped"
        return $TANDEM_RC_OK
    fi
    tandem_kill
}

# SIGKILL at once: for a hung broker. Waits until it is gone. Safe to repeat.
tandem_kill() {
    if ! _tk_pid=$(tandem_pid) || ! tandem_alive "$_tk_pid"; then
        rm -f -- "$TANDEM_PID_FILE"
        return $TANDEM_RC_OK
    fi
    tandem_log warn "killing broker $_tk_pid (SIGKILL)"
    kill -KILL "$_tk_pid" 2>/dev/null
    if tandem_wait_gone "$_tk_pid" "$(($(tandem_now) + 30))"; then
        rm -f -- "$TANDEM_PID_FILE"
        return $TANDEM_RC_OK
    fi
    tandem_log err "broker $_tk_pid survived SIGKILL"
    return $TANDEM_RC_FAILED
}
