#!/bin/bash
# Runs inside the systemd-sandbox container (as sandbox-check.sh) while digitd.service
# is active; `make systemd-check` stages it. Non-zero exit = FAIL.
#
# What an operator relies on: the service runs as user digitd with the folders and
# modes the unit promises; scans dropped into /var/lib/digitd/inbox (by root, and by
# an operator in group digitd with a tight umask) are classified into
# results/results-DAY.csv and moved to done/; bad and unreadable files land in
# failed/ with a reason and an `error` row; STATUS= carries counts; the journal keeps
# the log levels; `digitctl status` answers over the socket (root and group member);
# a group member's relabel is refused, an admin_group member's is recorded under his
# name; `systemctl reload` (SIGHUP) keeps the same process running.
set -uo pipefail

ROOT=/var/lib/digitd
SAMPLES=/srv/digitd-samples
UNIT=digitd.service
FAILS=0
T0=$(date +%s.%N)
t() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN{printf "%5.2fs", b-a}'; }
ok() { echo "  ok   [$(t)] $*"; }
bad() { echo "  FAIL [$(t)] $*"; FAILS=$((FAILS + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
prop() { systemctl show -p "$1" --value "$UNIT"; }
# wait_for SECONDS COMMAND...: polls every 0.1 s
wait_for() { local end=$(( $(date +%s) + $1 )); shift
    until "$@"; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 0.1; done; }

PID=$(prop MainPID)
echo "digitd main pid $PID; status: $(prop StatusText)"

# ---------------------------------------------------------------- identity and folders
uid=$(awk '/^Uid:/{print $2}' "/proc/$PID/status")
check "runs as user digitd (uid $uid), not root" [ "$uid" = "$(id -u digitd)" -a "$uid" != 0 ]
check "no capabilities (CapEff 0)" [ "$(awk '/^CapEff:/{print $2}' "/proc/$PID/status")" = 0000000000000000 ]
mode_of() { stat -c '%a %U:%G' "$1" 2>/dev/null; }
check "$ROOT is 750 digitd:digitd ($(mode_of $ROOT))" [ "$(mode_of $ROOT)" = "750 digitd:digitd" ]
check "inbox is 2770 digitd:digitd ($(mode_of $ROOT/inbox))" [ "$(mode_of $ROOT/inbox)" = "2770 digitd:digitd" ]
check "results/ is 770 digitd:digitd ($(mode_of $ROOT/results))" [ "$(mode_of $ROOT/results)" = "770 digitd:digitd" ]
check "control socket is a 660 digitd:digitd socket ($(mode_of $ROOT/digitd.sock))" \
    [ -S "$ROOT/digitd.sock" -a "$(mode_of $ROOT/digitd.sock)" = "660 digitd:digitd" ]
check "READY=1 and STATUS= seen ($(prop StatusText))" [ -n "$(prop StatusText)" ]

# ---------------------------------------------------------------- drop scans
# An operator: not root, in group digitd, with a umask that keeps files from others.
useradd --no-create-home --shell /usr/sbin/nologin --groups digitd alice
as_alice() { runuser -u alice -- "$@"; }

mapfile -t all < <(cd "$SAMPLES" && ls)
declare -a expect_ok=()
n=0
for f in "${all[@]}"; do
    n=$((n + 1))
    case $((n % 3)) in
        0) cp "$SAMPLES/$f" "$ROOT/inbox/$f.part" && mv "$ROOT/inbox/$f.part" "$ROOT/inbox/$f" ;;  # root: write, rename in
        1) cp "$SAMPLES/$f" "$ROOT/inbox/$f" ;;                                                   # root: plain copy
        2) as_alice sh -c "umask 027 && cp '$SAMPLES/$f' '$ROOT/inbox/.$f.part' && mv '$ROOT/inbox/.$f.part' '$ROOT/inbox/$f'" ;;
    esac || bad "could not drop $f"
    expect_ok+=("$f")
done
ok "dropped ${#expect_ok[@]} samples (a third by alice, umask 027: mode 640, group digitd from the setgid inbox)"

# Bad input: not an image, a truncated JPEG, a file the service may not read.
printf 'this is not an image\n' > "$ROOT/inbox/not-an-image.png"
first_jpg=$(cd "$SAMPLES" && ls *.jpg | head -n1)
head -c 300 "$SAMPLES/$first_jpg" > "$ROOT/inbox/truncated.jpg.part" && mv "$ROOT/inbox/truncated.jpg.part" "$ROOT/inbox/truncated.jpg"
install -m 600 "$SAMPLES/${all[0]}" "$ROOT/inbox/unreadable.png"
expect_fail=(not-an-image.png truncated.jpg unreadable.png)

# The sample names hold no comma or quote, so their CSV field is the bare name.
row() { cat "$ROOT"/results/results-*.csv 2>/dev/null | awk -F, -v f="$1" '$1 == f' | tail -n1; }
all_rows() { local f; for f in "${expect_ok[@]}" "${expect_fail[@]}"; do [ -n "$(row "$f")" ] || return 1; done; }
if wait_for 60 all_rows; then ok "a result row for each of the $(( ${#expect_ok[@]} + ${#expect_fail[@]} )) files"
else
    bad "rows missing after 60 s:"; for f in "${expect_ok[@]}" "${expect_fail[@]}"; do [ -n "$(row "$f")" ] || echo "       $f"; done
fi

correct=0
for f in "${expect_ok[@]}"; do
    r=$(row "$f"); status=$(cut -d, -f3 <<<"$r"); digit=$(cut -d, -f4 <<<"$r"); conf=$(cut -d, -f5 <<<"$r")
    [ "$digit" = "${f:0:1}" ] && correct=$((correct + 1))
    printf '       %-42s %-6s digit %-2s conf %s\n' "$f" "$status" "$digit" "$conf"
    [ "$status" = ok ] || bad "$f: status '$status' (row: $r)"
    [ -f "$ROOT/done/$f" ] || bad "$f: not in done/"
done
ok "$correct/${#expect_ok[@]} samples classified as the digit their name starts with (model quality, not a pass/fail check)"

for f in "${expect_fail[@]}"; do
    r=$(row "$f"); status=$(cut -d, -f3 <<<"$r")
    reason=$(head -n1 "$ROOT/failed/$f.reason" 2>/dev/null)
    if [ "$status" = error ] && [ -f "$ROOT/failed/$f" ] && [ -n "$reason" ]; then ok "$f -> failed/ ($reason)"
    else bad "$f: status '$status', failed/$f $( [ -f "$ROOT/failed/$f" ] && echo present || echo missing ), reason '$reason'"; fi
done
check "inbox/ and processing/ are empty" [ -z "$(ls -A "$ROOT/inbox")$(ls -A "$ROOT/processing")" ]
csv=$(ls "$ROOT"/results/results-*.csv | head -n1)
check "$(basename "$csv") is $(mode_of "$csv"): group digitd may read, others not" \
    sh -c "stat -c '%U:%G %A' '$csv' | grep -Eq '^digitd:digitd -r.-r..---'"
check "alice (group digitd) can read the results" as_alice head -n1 "$csv"

# ---------------------------------------------------------------- STATUS=, journal
check "STATUS= has counts: $(prop StatusText)" wait_for 5 sh -c "systemctl show -p StatusText --value $UNIT | grep -q 'processed [1-9]'"
check "journal keeps log levels (the ready line is a notice)" \
    sh -c "journalctl -u $UNIT -p notice..notice -q --no-pager -o cat | grep -q '^ready'"
check "the bad files were logged as warnings" \
    sh -c "journalctl -u $UNIT -p warning..warning -q --no-pager -o cat | grep -q 'not-an-image.png'"

# ---------------------------------------------------------------- digitctl status
if digitctl status --help >/dev/null 2>&1; then
    if out=$(digitctl status --root "$ROOT" 2>&1); then ok "digitctl status (root):"; sed 's/^/       /' <<<"$out"
    else bad "digitctl status --root $ROOT: $out"; fi
    if out=$(as_alice digitctl status --root "$ROOT" --json 2>&1); then ok "digitctl status --json as alice (group digitd): $(tr -d ' \n' <<<"$out" | cut -c1-120)..."
    else bad "digitctl status as alice: $out"; fi
else
    echo "  skip digitctl status: this digitctl has no status command"
fi

# ---------------------------------------------------------------- who may change things
# The kernel names the caller (SO_PEERCRED): alice (group digitd) may read but not
# relabel; bob, in control.admin_group, may, and the record names him, not $USER.
relabeled=${expect_ok[0]}
if out=$(as_alice env USER=root digitctl relabel --root "$ROOT" "$relabeled" 7 2>&1); then
    bad "alice (group digitd) could relabel: $out"
else
    check "alice's relabel refused: $out" grep -q "alice (uid $(id -u alice)) may not relabel" <<<"$out"
fi
check "alice's refused relabel wrote nothing to labels/" [ -z "$(ls -A "$ROOT/labels/7" 2>/dev/null)" ]
groupadd digitd-admin
useradd --no-create-home --shell /usr/sbin/nologin --groups digitd,digitd-admin bob
sed -i '/^\[control\]$/a admin_group = "digitd-admin"' /etc/digitd/digitd.toml
systemctl restart "$UNIT" || bad "systemctl restart (control.admin_group)"
PID=$(prop MainPID)
if out=$(runuser -u bob -- env USER=mallory digitctl relabel --root "$ROOT" "$relabeled" 7 2>&1); then ok "bob (control.admin_group) relabels: $out"
else bad "bob (control.admin_group) could not relabel: $out"; fi
check "the record names bob (uid $(id -u bob)), not \$USER" \
    sh -c "grep -Eq '\"byUID\" ?: ?$(id -u bob)\\b' $ROOT/labels/.records/*.json && grep -Eq '\"by\" ?: ?\"bob\"' $ROOT/labels/.records/*.json"

# ---------------------------------------------------------------- restart under load
# SIGTERM while batches are in flight: the old process finishes its batch and exits 0,
# the new one takes the rest; every file ends in done/ with exactly one row.
declare -a load=()
for i in $(seq 1 20); do for f in "${all[@]}"; do load+=("load$i-$f"); done; done
stage=/var/lib/digitd-load          # same filesystem: written there, renamed in at once
mkdir -p "$stage"
for f in "${load[@]}"; do cp "$SAMPLES/${f#*-}" "$stage/$f"; done
since=$(date +%s.%N)
mv "$stage"/* "$ROOT/inbox/"
sleep 0.05
systemctl restart "$UNIT" || bad "systemctl restart"
NEWPID=$(prop MainPID)
echo "       restart returned with $(ls "$ROOT/done" | grep -c '^load') of ${#load[@]} done, $(ls "$ROOT/inbox" | wc -l) still in the inbox"
once() { local f; for f in "${load[@]}"; do [ -f "$ROOT/done/$f" ] || return 1; done
         [ "$(cat "$ROOT"/results/results-*.csv | awk -F, '$1 ~ /^load[0-9]+-/' | cut -d, -f1 | sort | uniq -c | awk '$1 == 1' | wc -l)" = "${#load[@]}" ]; }
check "restart under load: ${#load[@]} files in done/, one row each (pid $PID -> $NEWPID)" wait_for 120 once
journal_since() { journalctl -u "$UNIT" --since="@$since" -q --no-pager -o cat; }
check "restart under load: the old process drained and exited 0 ($(journal_since | grep -c 'Deactivated successfully') clean stop)" \
    sh -c "journalctl -u $UNIT --since=@$since -q --no-pager -o cat | grep -q 'Deactivated successfully' &&
           ! journalctl -u $UNIT --since=@$since -q --no-pager -o cat | grep -Eq 'Failed with result|status=[1-9]'"
PID=$NEWPID

# ---------------------------------------------------------------- reload (SIGHUP)
since=$(date +%s.%N)
systemctl reload "$UNIT" || bad "systemctl reload"
check "reload: 'configuration reloaded' logged" wait_for 10 sh -c "journalctl -u $UNIT --since=@$since -q --no-pager -o cat | grep -q 'configuration reloaded'"
check "reload: same process ($PID), still active" [ "$(prop MainPID)" = "$PID" -a "$(prop ActiveState)" = active ]

# ---------------------------------------------------------------- hostile scans
# Files that once took digitd down (scripts/make_hostile_scans.py): a stray pen dot and
# an anti-aliased dot (the normalizer's SIGILL), a PNG of 1,000 zTXt bombs (86 s of CPU,
# a watchdog kill), and a pill the fault switch makes digitd abort on (the drop-in sets
# DIGITD_FAULT_ON=poison-pill). The service stays up: the pill kills it twice (in its
# batch, then alone on its retry) and is then quarantined; every other file gets its row.
HOSTILE=/srv/digitd-hostile
restarts=$(prop NRestarts)
declare -a hostile=(pen-dot.png aa-dot.png text-bomb.png poison-pill.png)
for f in "${hostile[@]}"; do cp "$HOSTILE/$f" "$stage/$f"; done
for f in "${all[@]}"; do cp "$SAMPLES/$f" "$stage/beside-$f"; hostile+=("beside-$f"); done
mv "$stage"/* "$ROOT/inbox/"
hostile_rows() { local f; for f in "${hostile[@]}"; do [ -n "$(row "$f")" ] || return 1; done
                 [ "$(prop ActiveState)" = active ] && [ -z "$(ls -A "$ROOT/processing")" ]; }
if wait_for 90 hostile_rows; then ok "hostile scans: a row for each of the ${#hostile[@]} files, service active"
else bad "hostile scans: rows missing after 90 s ($(prop ActiveState), NRestarts $(prop NRestarts))"; fi
for f in pen-dot.png aa-dot.png; do
    r=$(row "$f"); check "$f: classified, not an error ($(cut -d, -f3,4,5 <<<"$r"))" [ "$(cut -d, -f3 <<<"$r")" != error ]
done
r=$(row text-bomb.png); ok "text-bomb.png: $(cut -d, -f3 <<<"$r") $(cut -d, -f10 <<<"$r")"
r=$(row poison-pill.png)
check "poison-pill.png quarantined: error row, failed/ with its reason ($(cut -d, -f10 <<<"$r"))" \
    sh -c "grep -q 'digitd stopped twice while processing this file' '$ROOT/failed/poison-pill.png.reason' &&
           [ \"$(cut -d, -f3 <<<"$r")\" = error ]"
check "the pill killed digitd exactly twice (NRestarts $restarts -> $(prop NRestarts)), no restart loop" \
    [ "$(prop NRestarts)" = $((restarts + 2)) ]
for f in "${all[@]}"; do [ -f "$ROOT/done/beside-$f" ] || bad "beside-$f: not in done/"; done
# The pill's two deaths count against StartLimitBurst; give the sandbox's own watchdog test its start.
systemctl reset-failed "$UNIT"

# ---------------------------------------------------------------- resource limits
# The unit's limits (see its comments), and what digitd does at each, lowered at run time.
check "limits set: MemoryHigh $(prop MemoryHigh), MemoryMax $(prop MemoryMax), TasksMax $(prop TasksMax), LimitNOFILE $(prop LimitNOFILE)" \
    [ "$(prop MemoryMax)" = $((2 << 30)) -a "$(prop TasksMax)" = 256 -a "$(prop LimitNOFILE)" = 4096 ]
PID=$(prop MainPID)
# Descriptors: none left to open (soft limit 3): scans wait in processing/, none fails;
# given the limit back, digitd resumes by itself.
# As the service's user: prlimit(2) on another user's process needs CAP_SYS_RESOURCE,
# which some container hosts withhold even from root (with PrivateUsers=, root owned the
# service's user namespace and so had it there).
as_service() { runuser -u digitd -- "$@"; }
as_service prlimit --pid "$PID" --nofile=3:
for f in "${all[@]:0:6}"; do cp "$SAMPLES/$f" "$stage/nofile-$f"; done
mv "$stage"/* "$ROOT/inbox/"
check "LimitNOFILE reached: intake paused, logged" wait_for 30 sh -c "journalctl -u $UNIT -q --no-pager -o cat | grep -q 'paused: out of file descriptors'"
check "LimitNOFILE reached: nothing failed" sh -c "! ls $ROOT/failed | grep -q '^nofile-'"
as_service prlimit --pid "$PID" --nofile=4096:
nofile_done() { local f; for f in "${all[@]:0:6}"; do [ -f "$ROOT/done/nofile-$f" ] || return 1; done; }
check "descriptors free again: the paused scans are done" wait_for 30 nofile_done
# Tasks: capped at the threads digitd has now; it goes on with them.
tasks=$(ls /proc/"$PID"/task | wc -l)
systemctl set-property --runtime "$UNIT" TasksMax="$tasks"
for f in "${all[@]:0:6}"; do cp "$SAMPLES/$f" "$stage/tasks-$f"; done
mv "$stage"/* "$ROOT/inbox/"
tasks_done() { local f; for f in "${all[@]:0:6}"; do [ -f "$ROOT/done/tasks-$f" ] || return 1; done; }
check "TasksMax=$tasks (its threads now): the scans are still done" wait_for 30 tasks_done
check "TasksMax reached: same process ($PID)" [ "$(prop MainPID)" = "$PID" ]
systemctl set-property --runtime "$UNIT" TasksMax=256
# Memory: a scan that alone does not fit under MemoryMax is OOM-killed twice (in its
# batch, then alone), then quarantined; the service carries on.
if [ -e /sys/fs/cgroup/system.slice/$UNIT/memory.max ]; then
    restarts=$(prop NRestarts)
    systemctl set-property --runtime "$UNIT" MemoryHigh=infinity MemoryMax=100M
    cp "$HOSTILE/big-progressive.jpg" "$stage/big-progressive.jpg"
    cp "$SAMPLES/${all[0]}" "$stage/beside-big-${all[0]}"
    mv "$stage"/* "$ROOT/inbox/"
    big_done() { [ -f "$ROOT/failed/big-progressive.jpg" ] && [ -f "$ROOT/done/beside-big-${all[0]}" ] && [ "$(prop ActiveState)" = active ]; }
    check "MemoryMax=100M: the 40 MP progressive JPEG is quarantined, the scan beside it done" wait_for 120 big_done
    check "MemoryMax: OOM-killed exactly twice (NRestarts $restarts -> $(prop NRestarts))" [ "$(prop NRestarts)" = $((restarts + 2)) ]
    check "MemoryMax: its reason ($(cat "$ROOT/failed/big-progressive.jpg.reason" 2>/dev/null))" \
        grep -q 'digitd stopped twice while processing this file' "$ROOT/failed/big-progressive.jpg.reason"
    systemctl set-property --runtime "$UNIT" MemoryHigh=1G MemoryMax=2G
    systemctl reset-failed "$UNIT"
else
    echo "  skip MemoryMax behaviour: no memory controller for $UNIT in this container"
fi

echo "sandbox-check: $FAILS failure(s) in $(t)"
[ "$FAILS" = 0 ]
