#!/usr/bin/env bash
# End-to-end benchmark: `proximity report` (CSV in; GeoJSON and per-school table out) against
# the peer tools and two floors (reading the files; reading them and building the R-tree),
# on the peer harness's sizes, in one run.
#
#   benches/end_to_end.sh [SIZE ...]          SIZE = small | medium | large_region | large
#                                             | curve (default: small medium)
#
# `curve` times proximity alone (CSV in) at four numbers of incidents (1, 2, 4 and 8 million,
# 10,000 schools) and four numbers of schools (10,000 to 80,000, 1 million incidents) in the
# medium city, to show how the time grows with each.
# Env:
#   PEERS        peers to time (default: duckdb_plainsql balltree geopandas_dwithin), by
#                their names in the peer harness's run_all.sh; "none" for none
#   PEERS_DIR    the peer harness (default: ../shared/peers); it is copied to WORK, and its
#                Python environments are set up there by its setup.sh when missing
#   WORK         where data and outputs go (default: target/end-to-end)
#   LIMIT_S      per-run time limit in seconds (default 1800)
#   RADIUS_M     radius in metres (default 160.9344, a tenth of a mile)
#
# Data comes from the project's own generator (`proximity generate`, no broken rows), with
# the peer harness's sizes and seeds. Every run is timed by GNU time (wall clock and peak
# resident memory). The table printed at the end gives seconds, peak memory, and each
# tool's time as a multiple of proximity's; it is also written to WORK/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZES=${*:-small medium}
CURVE="curve_i1 curve_i2 curve_i4 curve_i8 curve_s2 curve_s4 curve_s8"
SIZES=${SIZES/curve/$CURVE}
PEERS=${PEERS:-duckdb_plainsql balltree geopandas_dwithin}
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/peers}
WORK=${WORK:-$ROOT/target/end-to-end}
LIMIT_S=${LIMIT_S:-1800}
RADIUS_M=${RADIUS_M:-160.9344}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

command -v /usr/bin/time >/dev/null || { echo "GNU time (/usr/bin/time) is required: apt-get install time" >&2; exit 1; }

echo "== building (release)" >&2
# All targets, so that features unify as for the benchmarks and polars is built once.
cargo build --release --locked --workspace --all-targets >&2
TARGET=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
PROXIMITY=$TARGET/release/proximity
FLOOR=$(cargo bench --locked --bench read_floor --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))/\1/p' | tail -1)
[ -x "$FLOOR" ] || { echo "cannot find the read_floor benchmark binary" >&2; exit 1; }
# The floors ask glibc for transparent huge pages, as proximity asks the kernel for them.
FLOOR_RUN=(env GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "$FLOOR")

if [ "$PEERS" != none ]; then
    # Let Python cache compiled modules, as it does on users' machines, so that the peers'
    # timed runs do not recompile their libraries each time.
    unset PYTHONDONTWRITEBYTECODE
    if [ ! -d "$WORK/peers" ]; then
        cp -r "$PEERS_DIR" "$WORK/peers"
    fi
    if [ ! -x "$WORK/peers/.venv/bin/python" ]; then
        echo "== setting up the peers (their setup.sh)" >&2
        (cd "$WORK/peers" && ./setup.sh) >&2
    fi
fi

recipe() {
    case "$1" in
        small) echo "--schools 650 --incidents 60000 --seed 1" ;;
        medium) echo "--schools 10000 --incidents 1000000 --seed 2" ;;
        large) echo "--schools 100000 --incidents 10000000 --seed 3" ;;
        # The same counts as large over about ten times the area: medium's density.
        large_region) echo "--schools 100000 --incidents 10000000 --seed 4 --bbox 41.23,42.43,-88.40,-87.07 --hotspots 600" ;;
        # The growth curve, in medium's city: millions of incidents, or 10,000s of schools.
        curve_i*) echo "--schools 10000 --incidents ${1#curve_i}000000 --seed 5" ;;
        curve_s*) echo "--schools ${1#curve_s}0000 --incidents 1000000 --seed 5" ;;
        *) echo "unknown size $1" >&2; return 1 ;;
    esac
}

peer_command() {
    local peers=$WORK/peers data=$1 out=$2
    local common="--schools $data/schools.csv --incidents $data/incidents.csv --radius-m $RADIUS_M --out $out"
    case "$3" in
        balltree) echo "$peers/.venv/bin/python $peers/peer_balltree.py $common" ;;
        geopandas_dwithin) echo "$peers/.venv/bin/python $peers/peer_geopandas.py --method dwithin $common" ;;
        duckdb_plainsql) echo "$peers/.venv/bin/python $peers/peer_duckdb.py $common" ;;
        duckdb_spatial) echo "$peers/.venv-duckdb-spatial/bin/python $peers/peer_duckdb_spatial.py $common" ;;
        postgis_geog_spheroid_serial) echo "$peers/.venv/bin/python $peers/peer_postgis.py --mode geog_spheroid --no-parallel $common" ;;
        postgis_geom26916_serial) echo "$peers/.venv/bin/python $peers/peer_postgis.py --mode geom26916 --no-parallel $common" ;;
        *) echo "unknown peer $3" >&2; return 1 ;;
    esac
}

RESULTS=$WORK/results.tsv
: > "$RESULTS"

# timed NAME SIZE DIR COMMAND...: runs COMMAND under GNU time into DIR; appends a result line.
timed() {
    local name=$1 size=$2 dir=$3
    shift 3
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "$*" > "$dir/cmd.txt"
    local rc=0
    timeout -k 15 "$LIMIT_S" /usr/bin/time -v -o "$dir/time.txt" "$@" > "$dir/stdout.txt" 2> "$dir/stderr.txt" || rc=$?
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$dir/time.txt" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$dir/time.txt")
    printf '%s\t%s\t%s\t%s\t%s\n' "$size" "$name" "${wall:-nan}" "${rss:-nan}" "$rc" >> "$RESULTS"
    printf '  %-22s %8ss %8s MB%s\n' "$name" "${wall:-?}" "${rss:-?}" "$([ "$rc" = 0 ] || echo "  FAILED rc=$rc, see $dir/stderr.txt")" >&2
}

# make_data SIZE: the generated city, in the files every tool reads.
make_data() {
    local size=$1 data=$WORK/data/$1
    if [ ! -f "$data/incidents.csv" ]; then
        echo "== generating $size" >&2
        # shellcheck disable=SC2046
        "$PROXIMITY" generate $(recipe "$size") --messy-share 0 --out "$data/generated" >&2
        # Every tool reads the same files, in the peer harness's columns:
        # schools id,name,lat,lon and incidents id,date,lat,lon,category (dates without times).
        cut -d, -f1-4 "$data/generated/schools.csv" > "$data/schools.csv"
        awk -F, -v OFS=, 'NR > 1 { $2 = substr($2, 1, 10) } { print }' \
            "$data/generated/incidents.csv" > "$data/incidents.csv"
        rm -r "$data/generated"
        "$FLOOR" --to-parquet "$data/schools.csv" "$data/schools.parquet"
        "$FLOOR" --to-parquet "$data/incidents.csv" "$data/incidents.parquet"
    fi
}

# One untimed run of every tool on the small city first, so that no timing pays for
# first-run costs (Python compiling its modules, the binaries' pages).
make_data small
mkdir -p "$WORK/out/warm-up"
for tool in $([ "$PEERS" = none ] || echo "$PEERS"); do
    # shellcheck disable=SC2046
    $(peer_command "$WORK/data/small" "$WORK/out/warm-up/$tool" "$tool") > /dev/null 2>&1 || true
done
"$PROXIMITY" report --quiet --schools "$WORK/data/small/schools.csv" --incidents "$WORK/data/small/incidents.csv" \
    --radius "${RADIUS_M}m" -o "$WORK/out/warm-up/report.geojson" 2> /dev/null || true

for size in $SIZES; do
    data=$WORK/data/$size
    make_data "$size"
    echo "== $size: $(($(wc -l < "$data/schools.csv") - 1)) schools x $(($(wc -l < "$data/incidents.csv") - 1)) incidents" >&2
    out=$WORK/out/$size
    timed "proximity" "$size" "$out/proximity" "$PROXIMITY" report --quiet --timings \
        --schools "$data/schools.csv" --incidents "$data/incidents.csv" --radius "${RADIUS_M}m" \
        -o "$out/proximity/report.geojson" --table "$out/proximity/per_school.csv"
    case $size in curve_*) continue ;; esac
    timed "proximity_parquet" "$size" "$out/proximity_parquet" "$PROXIMITY" report --quiet \
        --schools "$data/schools.parquet" --incidents "$data/incidents.parquet" --radius "${RADIUS_M}m" \
        -o "$out/proximity_parquet/report.geojson" --table "$out/proximity_parquet/per_school.csv"
    # The floors: reading the files; reading them and building the R-tree over the incidents.
    for kind in csv parquet; do
        timed "read_floor_$kind" "$size" "$out/read_floor_$kind" "${FLOOR_RUN[@]}" "$data/schools.$kind" "$data/incidents.$kind"
        timed "index_floor_$kind" "$size" "$out/index_floor_$kind" "${FLOOR_RUN[@]}" --index "$data/schools.$kind" "$data/incidents.$kind"
    done
    if [ "$PEERS" != none ]; then
        for peer in $PEERS; do
            # shellcheck disable=SC2046
            timed "$peer" "$size" "$out/$peer" $(peer_command "$data" "$out/$peer" "$peer")
        done
    fi
done

python3 "$ROOT/benches/end_to_end_table.py" "$RESULTS" "$WORK/out" > "$WORK/results.md"
cat "$WORK/results.md"
