#!/usr/bin/env bash
# Starts a single-node Slurm on this machine (Debian slurm-wlm: slurmctld + slurmd on
# localhost, munge for authentication), runs a 4-task job array of `needlescope batch` over
# sample_images/, merges the shards, and checks the merged lines against a one-machine run.
# Needs root (munged, slurmd) and the packages slurm-wlm and munge (installed if missing).
# Usage: tools/slurm/local-cluster.sh [WORKDIR]   (default: a fresh temporary folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=${1:-$(mktemp -d /tmp/needlescope-slurm.XXXXXX)}
mkdir -p "$work"/{spool,state,log}

for p in slurm-wlm munge; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
    break
  fi
done
[ -x build/needlescope ] || tools/build.sh

conf=$work/slurm.conf
cat > "$conf" <<CONF
ClusterName=needlescope-local
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
NodeName=localhost CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
CONF
export SLURM_CONF=$conf

pgrep -x munged >/dev/null || { mkdir -p /run/munge && chown munge:munge /run/munge && runuser -u munge -- /usr/sbin/munged; }
slurmctld -f "$conf"
slurmd -f "$conf" -N localhost
stop() {
  scancel --quiet --user root 2>/dev/null || true
  [ -f "$work/slurmd.pid" ] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null || true
  [ -f "$work/slurmctld.pid" ] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mix' && break; sleep 1; done
sinfo

out=$work/out
job=$(NEEDLESCOPE="$root/build/needlescope" sbatch --parsable --array=0-3 --cpus-per-task=1 \
  --chdir="$root" --output="$work/log/task-%a.log" --export=ALL,NEEDLESCOPE="$root/build/needlescope" \
  tools/slurm/batch-array.sbatch "$out" sample_images)
echo "submitted job array $job (4 tasks)"
for _ in $(seq 600); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 1; done
sacct_state=$(squeue -h -j "$job" 2>/dev/null || true)
[ -z "$sacct_state" ] || { echo "the array did not finish in 10 minutes" >&2; exit 1; }

build/needlescope merge "$out"/shard-* -o "$out/merged"
build/needlescope batch sample_images -o "$out/one-machine" -q
if diff <(sort "$out/merged/results.jsonl") <(sort "$out/one-machine/results.jsonl") >/dev/null; then
  echo "OK: the merged shards hold exactly the one-machine run's $(wc -l < "$out/merged/results.jsonl") lines ($out)"
else
  echo "FAIL: merged shards and the one-machine run differ ($out)" >&2
  exit 1
fi
