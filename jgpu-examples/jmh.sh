#!/usr/bin/env bash
# Builds the examples jar and runs the enqueue-path benchmarks (JMH, null backend) of
# docs/performance.md, writing JMH's raw output to OUT_FILE as well as the terminal.
#   bash jgpu-examples/jmh.sh OUT_FILE [JMH arguments: a benchmark regex, -p mode=CHECK, -rf json ...]
# JMH_OPTS replaces the default run settings; MVN_FLAGS is added to the build (e.g. -o), e.g.
#   JMH_OPTS="-f 1 -wi 1 -i 1 -w 200ms -r 200ms" bash jgpu-examples/jmh.sh smoke.txt
set -euo pipefail
out=${1:?usage: jmh.sh OUT_FILE [JMH arguments]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck disable=SC2086 # word splitting of MVN_FLAGS and JMH_OPTS is intended
(cd "$root" && mvn -B -q ${MVN_FLAGS:-} -DskipTests package -pl jgpu-examples -am)
# the jar holds only these benchmarks: with no regex JMH runs them all
# shellcheck disable=SC2086
java -cp "$root/jgpu-examples/target/jgpu-examples.jar" org.openjdk.jmh.Main \
  ${JMH_OPTS:--f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc} "$@" 2>&1 | tee "$out"
